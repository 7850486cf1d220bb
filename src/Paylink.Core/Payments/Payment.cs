using Paylink.Core.Common;

namespace Paylink.Core.Payments;

/// <summary>
/// Money received for a link. At most one per link (unique index) and one per gateway payment id
/// (unique per provider), so a replayed or racing notification cannot record money twice.
/// </summary>
public sealed class Payment : IMerchantOwned
{
    private Payment() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string LinkId { get; private set; } = "";
    public string AttemptId { get; private set; } = "";
    public string GatewayAccountId { get; private set; } = "";
    public string Provider { get; private set; } = "";
    public string ExternalId { get; private set; } = "";
    public long AmountMinor { get; private set; }
    public string Currency { get; private set; } = "RUB";
    public DateTimeOffset PaidAt { get; private set; }

    public Money Amount => new(AmountMinor, Currency);

    public static Payment Record(PaymentAttempt attempt, string externalId, Money amount, DateTimeOffset paidAt, TimeProvider clock) => new()
    {
        Id = Ids.New("pay", clock), MerchantId = attempt.MerchantId, LinkId = attempt.LinkId, AttemptId = attempt.Id,
        GatewayAccountId = attempt.GatewayAccountId, Provider = attempt.Provider, ExternalId = externalId,
        AmountMinor = amount.Minor, Currency = amount.Currency, PaidAt = paidAt,
    };
}
