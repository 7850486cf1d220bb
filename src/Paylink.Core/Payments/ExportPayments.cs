using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Receipts;
using Paylink.Core.Refunds;

namespace Paylink.Core.Payments;

/// <summary>
/// Accounting hand-off: payments, refunds and closing receipts of one merchant in a period as CSV the way
/// Russian spreadsheet and 1C imports read it — UTF-8 with BOM, <c>;</c> separator, decimal comma, local
/// times of the merchant's zone, one row per money movement (refunds negative) with its 54-FZ receipt
/// attributes. Columns are documented in docs/export.md; keep them in that order.
/// </summary>
public sealed class ExportPayments(AppDbContext db)
{
    public const int MaxDays = 366;

    public static readonly string[] Columns =
    [
        "date", "operation", "document_id", "link_id", "order_id", "description", "customer", "customer_contact", "amount", "currency",
        "gateway", "gateway_payment_id", "status", "receipt", "receipt_type", "tax_system", "payment_method", "payment_object", "vat", "ffd_version",
        "pay_method",
    ];

    public sealed record Period(DateTimeOffset From, DateTimeOffset To);

    /// <summary>Parses from/to: a date (yyyy-MM-dd, a whole local day of the merchant, <c>to</c> included) or an ISO 8601
    /// date-time with offset (<c>to</c> excluded).</summary>
    public static Result<Period> ParsePeriod(string? from, string? to, string? format, TimeZoneInfo zone)
    {
        var e = new ValidationErrors();
        if (format is not (null or "csv")) e.Add("format", "format must be csv.");
        var f = ParseBound(from, zone, isEnd: false, out var fRange);
        var t = ParseBound(to, zone, isEnd: true, out var tRange);
        if (from is null) e.Add("from", "from is required (yyyy-MM-dd or ISO 8601 date-time with offset).");
        else if (fRange) e.Add("from", DateFormat.OutOfRange("from"));
        else if (f is null) e.Add("from", "from must be yyyy-MM-dd or an ISO 8601 date-time with offset.");
        if (to is null) e.Add("to", "to is required (yyyy-MM-dd or ISO 8601 date-time with offset).");
        else if (tRange) e.Add("to", DateFormat.OutOfRange("to"));
        else if (t is null) e.Add("to", "to must be yyyy-MM-dd or an ISO 8601 date-time with offset.");
        if (f is not null && t is not null)
        {
            if (t <= f) e.Add("to", "to must be after from.");
            else if ((t.Value - f.Value).TotalDays > MaxDays) e.Add("to", $"The period must be at most {MaxDays} days.");
        }
        return e.Any ? e.ToError() : new Period(f!.Value, t!.Value);
    }

    private static DateTimeOffset? ParseBound(string? s, TimeZoneInfo zone, bool isEnd, out bool outOfRange)
    {
        outOfRange = false;
        if (s is null) return null;
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            if (!DateFormat.IsAccepted(d)) { outOfRange = true; return null; }
            return DateFormat.LocalToUtc(isEnd ? d.AddDays(1) : d, TimeOnly.MinValue, zone);
        }
        if (!s.Contains('T', StringComparison.Ordinal) || !DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt)) return null;
        if (!DateFormat.IsAccepted(dt)) { outOfRange = true; return null; }
        return dt.ToUniversalTime();
    }

    public async Task<Result<string>> HandleAsync(string merchantId, Period period, CancellationToken ct)
    {
        var merchant = await db.Merchants.AsNoTracking().FirstOrDefaultAsync(m => m.Id == merchantId, ct);
        if (merchant is null) return Error.NotFound($"Merchant '{merchantId}'");
        var zone = merchant.Zone;
        var (from, to) = (period.From, period.To);
        var payments = await db.Payments.IgnoreQueryFilters().AsNoTracking()
            .Where(p => p.MerchantId == merchantId && p.PaidAt >= from && p.PaidAt < to).ToListAsync(ct);
        var refunds = await db.Refunds.IgnoreQueryFilters().AsNoTracking()
            .Where(r => r.MerchantId == merchantId && r.CreatedAt >= from && r.CreatedAt < to).ToListAsync(ct);
        // A closing receipt is recorded as the link's "settled" event with the amount it settled.
        var settled = await db.LinkEvents.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.MerchantId == merchantId && e.Type == LinkEventTypes.Settled && e.At >= from && e.At < to).ToListAsync(ct);
        var linkIds = payments.Select(p => p.LinkId).Concat(refunds.Select(r => r.LinkId)).Concat(settled.Select(e => e.LinkId)).Distinct().ToList();
        var links = await db.PaymentLinks.IgnoreQueryFilters().AsNoTracking().Where(l => linkIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, ct);
        var allPayments = await db.Payments.IgnoreQueryFilters().AsNoTracking().Where(p => linkIds.Contains(p.LinkId)).ToDictionaryAsync(p => p.LinkId, ct);
        var customerIds = links.Values.Select(l => l.CustomerId).Where(c => c is not null).Distinct().ToList();
        var customers = await db.Customers.IgnoreQueryFilters().AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var fiscal = merchant.Fiscal;

        var rows = new List<(DateTimeOffset At, string[] Cells)>();
        foreach (var p in payments)
        {
            var link = links[p.LinkId];
            var customer = link.CustomerId is null ? null : customers.GetValueOrDefault(link.CustomerId);
            var receipt = fiscal.GatewayReceipts && link.Currency == "RUB"
                ? ReceiptBuilder.ForPayment(fiscal, link, customer?.Email, customer?.Phone, p.Status == PaymentStatus.Authorized ? p.AmountMinor : p.CapturedMinor) : null;
            rows.Add((p.PaidAt, Row(zone, p.PaidAt, "payment", p.Id, link, customer, p.Status == PaymentStatus.Authorized ? p.AmountMinor : p.CapturedMinor,
                p.Currency, p.Provider, p.ExternalId, p.Status.ToString().ToLowerInvariant(), receipt, "income", p.Method.ToWire())));
        }
        foreach (var r in refunds)
        {
            var link = links[r.LinkId];
            var customer = link.CustomerId is null ? null : customers.GetValueOrDefault(link.CustomerId);
            var receipt = r.ReceiptJson is null ? null : JsonSerializer.Deserialize<FiscalReceipt>(r.ReceiptJson, PaylinkJson.Output);
            var payment = allPayments.GetValueOrDefault(r.LinkId);
            rows.Add((r.CreatedAt, Row(zone, r.CreatedAt, "refund", r.Id, link, customer, -r.AmountMinor, r.Currency, payment?.Provider ?? "",
                r.ExternalId ?? "", r.Status.ToString().ToLowerInvariant(), receipt, "income_return", payment?.Method.ToWire() ?? "")));
        }
        foreach (var e in settled)
        {
            var l = links[e.LinkId];
            var customer = l.CustomerId is null ? null : customers.GetValueOrDefault(l.CustomerId);
            var payment = allPayments.GetValueOrDefault(l.Id);
            var amount = e.DataJson is { } data && JsonDocument.Parse(data).RootElement.TryGetProperty("amount", out var a) && a.TryGetInt64(out var v)
                ? v : l.AmountMinor;
            var receipt = ReceiptBuilder.ForSettlement(fiscal, l, customer?.Email, customer?.Phone, amount);
            // A closing receipt moves no money: amount shows what it settles, the operation says it is not a payment.
            rows.Add((e.At, Row(zone, e.At, "settlement", payment?.Id ?? l.Id, l, customer, amount, l.Currency,
                payment?.Provider ?? "", payment?.ExternalId ?? "", "issued", receipt, "settlement", payment?.Method.ToWire() ?? "")));
        }

        var sb = new StringBuilder();
        sb.Append('\uFEFF');
        sb.AppendJoin(';', Columns).Append("\r\n");
        foreach (var (_, cells) in rows.OrderBy(r => r.At).ThenBy(r => r.Cells[2], StringComparer.Ordinal))
            sb.AppendJoin(';', cells.Select(Cell)).Append("\r\n");
        return sb.ToString();
    }

    private static string[] Row(TimeZoneInfo zone, DateTimeOffset at, string operation, string documentId, PaymentLink link, Customers.Customer? customer,
        long amount, string currency, string gateway, string gatewayId, string status, FiscalReceipt? receipt, string receiptType, string payMethod) =>
    [
        DateFormat.ToLocal(at, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), operation, documentId, link.Id, link.OrderRef ?? "",
        link.Description, customer?.Name ?? "", receipt is null ? "" : receipt.Email ?? receipt.Phone ?? "", Amount(amount), currency, gateway, gatewayId, status,
        receipt is null ? "no" : "yes", receipt is null ? "" : receiptType, receipt?.TaxSystem ?? "",
        Distinct(receipt, i => i.PaymentMethod), Distinct(receipt, i => i.PaymentObject), Distinct(receipt, i => i.Vat), receipt?.FfdVersion ?? "",
        payMethod,
    ];

    private static string Distinct(FiscalReceipt? r, Func<FiscalItem, string> pick) => r is null ? "" : string.Join(",", r.Items.Select(pick).Distinct());

    /// <summary>"-1500,00": decimal comma, no thousands separator, minus for money going back.</summary>
    public static string Amount(long minor) =>
        (minor < 0 ? "-" : "") + MoneyFormat.Decimal(Math.Abs(minor)).Replace('.', ',');

    /// <summary>Quotes cells with separators or quotes, and defuses spreadsheet formulas (a leading = + - @).</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '@' or '\t' or '\r' || (value.Length > 1 && value[0] == '-' && !char.IsAsciiDigit(value[1])))
            value = "'" + value;
        return value.IndexOfAny([';', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
