using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Payments;

namespace Paylink.Core.Documents;

/// <summary>
/// The register of B2B documents of a period for the accounting program (docs/export.md «Documents for 1C»): one row per
/// line of every счёт issued and every акт/УПД dated in the period, in the same CSV dialect as the payments export
/// (UTF-8 with BOM, «;», CRLF, decimal comma) — the shape 1C's «Загрузка данных из табличного документа» maps by column.
/// </summary>
public sealed class ExportDocuments(AppDbContext db)
{
    public static readonly string[] Columns =
    [
        "document_type", "document_number", "document_date", "counterparty", "counterparty_inn", "counterparty_kpp", "line", "item", "quantity",
        "unit", "price", "amount", "vat_rate", "vat_amount", "currency", "basis", "status", "paid_date", "payment_way", "document_id",
    ];

    public async Task<Result<string>> HandleAsync(string merchantId, ExportPayments.Period period, CancellationToken ct)
    {
        var merchant = await db.Merchants.AsNoTracking().FirstOrDefaultAsync(m => m.Id == merchantId, ct);
        if (merchant is null) return Error.NotFound($"Merchant '{merchantId}'");
        var zone = merchant.Zone;
        var from = DateOnly.FromDateTime(DateFormat.ToLocal(period.From, zone).DateTime);
        var to = DateOnly.FromDateTime(DateFormat.ToLocal(period.To.AddTicks(-1), zone).DateTime);
        var invoices = await db.Invoices.IgnoreQueryFilters().AsNoTracking()
            .Where(i => i.MerchantId == merchantId && i.IssueDate >= from && i.IssueDate <= to).ToListAsync(ct);
        var acts = await db.Acts.IgnoreQueryFilters().AsNoTracking().Where(a => a.MerchantId == merchantId && a.Date >= from && a.Date <= to).ToListAsync(ct);
        var actInvoiceIds = acts.Select(a => a.InvoiceId).Where(id => invoices.All(i => i.Id != id)).ToList();
        var all = invoices.Concat(await db.Invoices.IgnoreQueryFilters().AsNoTracking().Where(i => actInvoiceIds.Contains(i.Id)).ToListAsync(ct))
            .ToDictionary(i => i.Id);
        var linkIds = all.Values.Select(i => i.LinkId).ToList();
        var payments = await db.Payments.IgnoreQueryFilters().AsNoTracking().Where(p => linkIds.Contains(p.LinkId)).ToDictionaryAsync(p => p.LinkId, ct);

        var rows = new List<(DateOnly Date, string Type, int Number, string[] Cells)>();
        foreach (var i in invoices)
            rows.AddRange(Rows("schet", i.NumberText, i.IssueDate, i, "", i.Status.ToString().ToLowerInvariant(), payments.GetValueOrDefault(i.LinkId), zone, i.Id)
                .Select(c => (i.IssueDate, "1", i.Number, c)));
        foreach (var a in acts)
        {
            var i = all[a.InvoiceId];
            rows.AddRange(Rows(a.Kind == Act.KindUpd ? "upd" : "akt", a.NumberText, a.Date, i, $"Счёт № {i.NumberText} от {InvoicePdf.Date(i.IssueDate)}",
                "issued", payments.GetValueOrDefault(i.LinkId), zone, a.Id).Select(c => (a.Date, "2", a.Number, c)));
        }
        var sb = new StringBuilder().Append('\uFEFF').AppendJoin(';', Columns).Append("\r\n");
        foreach (var r in rows.OrderBy(r => r.Date).ThenBy(r => r.Type, StringComparer.Ordinal).ThenBy(r => r.Number))
            sb.AppendJoin(';', r.Cells.Select(ExportPayments.Cell)).Append("\r\n");
        return sb.ToString();
    }

    private static IEnumerable<string[]> Rows(string type, string number, DateOnly date, Invoice i, string basis, string status, Payment? payment,
        TimeZoneInfo zone, string id) =>
        i.Lines.Select((l, n) => new[]
        {
            type, number, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), i.BuyerName, i.BuyerInn, i.BuyerKpp ?? "",
            (n + 1).ToString(CultureInfo.InvariantCulture), l.Name, l.Quantity.ToString("0.###", CultureInfo.InvariantCulture).Replace('.', ','), l.Unit,
            ExportPayments.Amount(l.PriceMinor), ExportPayments.Amount(l.AmountMinor), l.Vat == "none" ? "none" : VatMath.Percent(l.Vat).ToString(CultureInfo.InvariantCulture),
            ExportPayments.Amount(l.VatMinor), i.Currency, basis, status,
            payment is null ? "" : DateFormat.ToLocal(payment.PaidAt, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            payment is null ? "" : payment.Provider == PaymentTransitions.BankTransferProvider ? "bank_transfer" : "card", id,
        });
}
