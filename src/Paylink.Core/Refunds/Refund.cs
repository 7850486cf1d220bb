using Paylink.Core.Common;

namespace Paylink.Core.Refunds;

public enum RefundStatus { Pending, Succeeded, Failed }

/// <summary>
/// Money returned for a link's payment. Created Pending (its amount already reserved on the payment)
/// before the gateway is called, with its id as the gateway's idempotency key; a retry resumes it.
/// </summary>
public sealed class Refund : IMerchantOwned
{
    private Refund() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string LinkId { get; private set; } = "";
    public string PaymentId { get; private set; } = "";
    public string GatewayAccountId { get; private set; } = "";
    public long AmountMinor { get; private set; }
    public string Currency { get; private set; } = "RUB";
    public string? Reason { get; private set; }
    public RefundStatus Status { get; private set; }
    public string? ExternalId { get; private set; }
    public string? FailureReason { get; private set; }
    /// <summary>The refund receipt sent with it (JSON, neutral form), when receipts are on.</summary>
    public string? ReceiptJson { get; private set; }
    /// <summary>True when it was made at the gateway (cabinet) and learned from a notification or reconciliation.</summary>
    public bool External { get; private set; }
    public int SendAttempts { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }

    public Money Amount => new(AmountMinor, Currency);

    public static Refund Start(Payments.Payment payment, long amount, string? reason, string? receiptJson, TimeProvider clock) => new()
    {
        Id = Ids.New("ref", clock), MerchantId = payment.MerchantId, LinkId = payment.LinkId, PaymentId = payment.Id,
        GatewayAccountId = payment.GatewayAccountId, AmountMinor = amount, Currency = payment.Currency, Reason = reason,
        ReceiptJson = receiptJson, Status = RefundStatus.Pending, CreatedAt = clock.GetUtcNow(),
    };

    public static Refund Adopted(Payments.Payment payment, long amount, DateTimeOffset at, TimeProvider clock) => new()
    {
        Id = Ids.New("ref", clock), MerchantId = payment.MerchantId, LinkId = payment.LinkId, PaymentId = payment.Id,
        GatewayAccountId = payment.GatewayAccountId, AmountMinor = amount, Currency = payment.Currency,
        Reason = "made at the gateway", Status = RefundStatus.Succeeded, External = true, CreatedAt = at, CompletedAt = at,
    };

    public void Sending() => SendAttempts++;

    public bool Succeed(string? externalId, DateTimeOffset at)
    {
        if (Status != RefundStatus.Pending) return false;
        Status = RefundStatus.Succeeded;
        ExternalId ??= externalId;
        CompletedAt = at;
        return true;
    }

    public void Accepted(string externalId) => ExternalId ??= externalId;

    public bool Fail(string reason, DateTimeOffset at)
    {
        if (Status != RefundStatus.Pending) return false;
        Status = RefundStatus.Failed;
        FailureReason = reason.Length > 500 ? reason[..500] : reason;
        CompletedAt = at;
        return true;
    }
}
