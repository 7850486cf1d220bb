namespace Paylink.Core.Receipts;

public enum ReceiptKind { Payment, Refund, Settlement }

/// <summary>
/// A 54-FZ receipt in Paylink's neutral form. Money in minor units; every line satisfies
/// Amount = Price × Quantity and the lines sum to the operation's amount (the builder guarantees it).
/// </summary>
public sealed record FiscalReceipt(ReceiptKind Kind, string? Email, string? Phone, string TaxSystem, string FfdVersion,
    IReadOnlyList<FiscalItem> Items)
{
    public long Total => Items.Sum(i => i.AmountMinor);
}

public sealed record FiscalItem(string Name, long PriceMinor, int Quantity, long AmountMinor, string Vat, string PaymentMethod,
    string PaymentObject, string Measure);
