using Paylink.Core.Common;

namespace Paylink.Core.Payments;

public enum PaymentStatus { Authorized, Captured, Voided }

/// <summary>
/// Money received (or held) for a link. At most one per link (unique index) and one per gateway payment id
/// (unique per provider), so a replayed or racing notification cannot record money twice.
/// <see cref="RefundedMinor"/> counts completed and in-flight refunds; with the <see cref="Version"/>
/// concurrency token two concurrent refunds can never together exceed <see cref="CapturedMinor"/>.
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
    /// <summary>The amount paid (or held, while <see cref="Status"/> is Authorized).</summary>
    public long AmountMinor { get; private set; }
    public string Currency { get; private set; } = "RUB";
    public DateTimeOffset PaidAt { get; private set; }
    public PaymentStatus Status { get; private set; }
    public long CapturedMinor { get; private set; }
    public long RefundedMinor { get; private set; }
    public DateTimeOffset? CapturedAt { get; private set; }
    public int Version { get; private set; }
    /// <summary>How the customer paid: what the gateway reported, else what they chose on our page.</summary>
    public PayMethod Method { get; private set; }

    public Money Amount => new(AmountMinor, Currency);
    public long Refundable => Status == PaymentStatus.Captured ? CapturedMinor - RefundedMinor : 0;

    public static Payment Record(PaymentAttempt attempt, string externalId, Money amount, DateTimeOffset paidAt, TimeProvider clock,
        bool authorizedOnly = false, long? captured = null, PayMethod? method = null) => new()
    {
        Method = method ?? attempt.Method,
        Id = Ids.New("pay", clock), MerchantId = attempt.MerchantId, LinkId = attempt.LinkId, AttemptId = attempt.Id,
        GatewayAccountId = attempt.GatewayAccountId, Provider = attempt.Provider, ExternalId = externalId,
        AmountMinor = amount.Minor, Currency = amount.Currency, PaidAt = paidAt,
        Status = authorizedOnly ? PaymentStatus.Authorized : PaymentStatus.Captured,
        CapturedMinor = authorizedOnly ? 0 : captured ?? amount.Minor,
        CapturedAt = authorizedOnly ? null : paidAt,
    };

    /// <summary>Captures (part of) a held payment. False when it is not held or the amount is out of range.</summary>
    public bool Capture(long amount, DateTimeOffset at)
    {
        if (Status != PaymentStatus.Authorized || amount <= 0 || amount > AmountMinor) return false;
        Status = PaymentStatus.Captured;
        CapturedMinor = amount;
        CapturedAt = at;
        Version++;
        return true;
    }

    public bool Void()
    {
        if (Status != PaymentStatus.Authorized) return false;
        Status = PaymentStatus.Voided;
        Version++;
        return true;
    }

    /// <summary>Reserves <paramref name="amount"/> for a refund. False when more than what is left.</summary>
    public bool ReserveRefund(long amount)
    {
        if (amount <= 0 || amount > Refundable) return false;
        RefundedMinor += amount;
        Version++;
        return true;
    }

    /// <summary>Gives back a reservation whose refund the gateway declined.</summary>
    public void ReleaseRefund(long amount)
    {
        RefundedMinor = Math.Max(0, RefundedMinor - amount);
        Version++;
    }

    /// <summary>The gateway reports more refunded than we know of (a refund made in its cabinet): adopt it.</summary>
    public long AdoptExternalRefunds(long gatewayTotal)
    {
        if (Status != PaymentStatus.Captured || gatewayTotal <= RefundedMinor) return 0;
        var extra = Math.Min(gatewayTotal, CapturedMinor) - RefundedMinor;
        if (extra <= 0) return 0;
        RefundedMinor += extra;
        Version++;
        return extra;
    }
}
