using Paylink.Core.Common;
using Paylink.Core.PaymentLinks;

namespace Paylink.Tests.Gateways;

internal static class TestLinks
{
    public static PaymentLink Create(long amount, string description, params (string Name, int Quantity, long Amount)[] items)
    {
        var now = new DateTimeOffset(2026, 11, 18, 7, 0, 0, TimeSpan.Zero);
        return PaymentLink.Create("lnk_1", "abcdefghij", "mer_1", "ord_1", null, null, "gwa_1", new Money(amount, "RUB"), description,
            items.Select((i, n) => new LinkItem { Position = n, Name = i.Name, Quantity = i.Quantity, AmountMinor = i.Amount }), null, now, now.AddDays(1));
    }
}
