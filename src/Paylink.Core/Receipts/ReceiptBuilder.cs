using Paylink.Core.Common;
using Paylink.Core.PaymentLinks;

namespace Paylink.Core.Receipts;

/// <summary>
/// Builds payment, refund and closing (settlement) receipts from a link's items and the merchant's
/// fiscal settings. Pure functions: the same link always gives the same receipt.
/// </summary>
public static class ReceiptBuilder
{
    public const int MaxNameLength = 128;

    /// <summary>Why receipts cannot be issued for this link, per field; empty when they can.</summary>
    public static IEnumerable<(string Field, string Message)> Problems(FiscalSettings fiscal, string currency, string? email, string? phone,
        IReadOnlyList<LinkItemInputCheck> items)
    {
        if (fiscal.IsSelfEmployed)
        {
            // «Мой налог» takes roubles; a foreign-currency income would need the Central Bank rate of the day, which Paylink does not keep.
            if (currency != "RUB") yield return ("currency", "The merchant is self-employed (НПД): incomes are registered in «Мой налог» in RUB only.");
            yield break;
        }
        if (!fiscal.ReceiptsEnabled) yield break;
        if (currency != "RUB") yield return ("currency", "54-FZ receipts are issued in RUB only; this merchant has receipts turned on.");
        if (email is null && phone is null)
            yield return ("customer", "customer.email or customer.phone is required: the merchant issues 54-FZ receipts and the law requires the buyer's contact.");
        for (var i = 0; i < items.Count; i++)
            if (items[i].Quantity > 0 && items[i].Amount % items[i].Quantity != 0)
                yield return ($"items[{i}].amount", "With receipts on, the line total must be divisible by quantity (the receipt needs a whole unit price in kopecks).");
    }

    public sealed record LinkItemInputCheck(long Amount, int Quantity);

    /// <summary>The income receipt sent with the payment (or with the capture of a hold).</summary>
    public static FiscalReceipt ForPayment(FiscalSettings fiscal, PaymentLink link, string? email, string? phone, long? amount = null) =>
        new(ReceiptKind.Payment, email, phone, fiscal.TaxSystem, fiscal.FfdVersion,
            Portion(fiscal, link, amount ?? link.AmountMinor, fiscal.PaymentMethod));

    /// <summary>A refund receipt ("возврат прихода") for <paramref name="amount"/>, spread over the items in order.</summary>
    public static FiscalReceipt ForRefund(FiscalSettings fiscal, PaymentLink link, string? email, string? phone, long amount, string paymentMethod) =>
        new(ReceiptKind.Refund, email, phone, fiscal.TaxSystem, fiscal.FfdVersion, Portion(fiscal, link, amount, paymentMethod));

    /// <summary>The closing receipt (settlement of prepayment) issued when the prepaid service is rendered:
    /// the same lines with payment method full_payment.</summary>
    public static FiscalReceipt ForSettlement(FiscalSettings fiscal, PaymentLink link, string? email, string? phone, long amount) =>
        new(ReceiptKind.Settlement, email, phone, fiscal.TaxSystem, fiscal.FfdVersion, Portion(fiscal, link, amount, "full_payment"));

    /// <summary>
    /// Lines for <paramref name="amount"/> of the link. The whole amount keeps each line as ordered
    /// (price × quantity); a part is taken from the lines in order, each taken part as one unit priced at
    /// that part, so every line still satisfies Amount = Price × Quantity without fractional quantities.
    /// </summary>
    private static List<FiscalItem> Portion(FiscalSettings f, PaymentLink link, long amount, string paymentMethod)
    {
        var lines = link.Items.Count > 0
            ? link.Items.OrderBy(i => i.Position).ToList()
            : [new LinkItem { Name = link.Description, Quantity = 1, AmountMinor = link.AmountMinor }];
        var result = new List<FiscalItem>();
        var left = amount;
        foreach (var l in lines)
        {
            if (left <= 0) break;
            var vat = l.Vat ?? f.DefaultVat;
            var obj = l.PaymentObject ?? f.DefaultPaymentObject;
            var measure = l.Measure ?? f.DefaultMeasure;
            var name = l.Name.Length > MaxNameLength ? l.Name[..MaxNameLength] : l.Name;
            if (left >= l.AmountMinor && l.Quantity > 0 && l.AmountMinor % l.Quantity == 0)
            {
                result.Add(new FiscalItem(name, l.AmountMinor / l.Quantity, l.Quantity, l.AmountMinor, vat, paymentMethod, obj, measure));
                left -= l.AmountMinor;
            }
            else
            {
                var part = Math.Min(left, l.AmountMinor);
                result.Add(new FiscalItem(name, part, 1, part, vat, paymentMethod, obj, measure));
                left -= part;
            }
        }
        return result;
    }

    /// <summary>Formats minor units as the decimal string gateways like YooKassa want ("1500.00").</summary>
    public static string Decimal(long minor) => MoneyFormat.Decimal(minor);
}
