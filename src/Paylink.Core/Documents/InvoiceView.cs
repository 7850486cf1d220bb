using Paylink.Core.Common;

namespace Paylink.Core.Documents;

public sealed record InvoiceBuyerView(string Name, string Inn, string? Kpp, string? Address, string? Email);

public sealed record InvoiceLineView(string Name, decimal Quantity, string Unit, long Price, long Amount, string Vat, long VatAmount);

/// <summary>The JSON shape of a счёт (API and assistant). Amounts in kopecks; dates in the merchant's calendar (yyyy-MM-dd).</summary>
public sealed record InvoiceView(string Id, string Number, int Year, string IssueDate, string DueDate, string Status, InvoiceBuyerView Buyer,
    IReadOnlyList<InvoiceLineView> Items, long Amount, long VatAmount, string Currency, string AmountInWords, string Purpose, string QrPayload,
    string LinkId, string PayUrl, string PdfUrl, DateTimeOffset IssuedAt, DateTimeOffset? PaidAt, DateTimeOffset? CancelledAt)
{
    public static InvoiceView From(Invoice i, string payUrl) => new(i.Id, i.NumberText, i.Year, Iso(i.IssueDate), Iso(i.DueDate),
        i.Status.ToString().ToLowerInvariant(), new InvoiceBuyerView(i.BuyerName, i.BuyerInn, i.BuyerKpp, i.BuyerAddress, i.BuyerEmail),
        i.Lines.Select(l => new InvoiceLineView(l.Name, l.Quantity, l.Unit, l.PriceMinor, l.AmountMinor, l.Vat, l.VatMinor)).ToList(),
        i.AmountMinor, i.VatMinor, i.Currency, RussianMoney.InWords(i.AmountMinor), i.Purpose, InvoicePdf.QrPayload(i), i.LinkId, payUrl,
        $"/api/v1/invoices/{i.Id}/pdf", i.IssuedAt, i.PaidAt, i.CancelledAt);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
