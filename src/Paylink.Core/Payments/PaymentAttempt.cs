using Paylink.Core.Common;

namespace Paylink.Core.Payments;

public enum AttemptStatus { Created, Pending, Succeeded, Failed }

/// <summary>One checkout started at a gateway for a link. Its id is the reference the gateway echoes back.</summary>
public sealed class PaymentAttempt : IMerchantOwned
{
    private PaymentAttempt() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string LinkId { get; private set; } = "";
    public string GatewayAccountId { get; private set; } = "";
    public string Provider { get; private set; } = "";
    public long AmountMinor { get; private set; }
    public string Currency { get; private set; } = "RUB";
    /// <summary>The gateway's id for the checkout/payment, once known.</summary>
    public string? ExternalId { get; private set; }
    public string? CheckoutUrl { get; private set; }
    public AttemptStatus Status { get; private set; }
    public string? FailureReason { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    /// <summary>Consent to save the payment method given for this attempt (JSON of <see cref="Customers.ConsentRecord"/>).</summary>
    public string? ConsentJson { get; private set; }
    /// <summary>Set for merchant-initiated charges of a saved method (no checkout page).</summary>
    public string? SavedMethodId { get; private set; }
    /// <summary>The method the customer chose on our page. For <see cref="PayMethod.Sbp"/>, <see cref="CheckoutUrl"/> holds
    /// the SBP payload (the https://qr.nspk.ru/… link the QR encodes, which also opens a bank app on a phone).</summary>
    public PayMethod Method { get; private set; }
    /// <summary>The gateway's key of the SBP account binding this SBP payment started (T-Bank RequestKey), for attempts that
    /// save the method with consent; binding reports (notifications, state polls) are matched to the attempt by it.</summary>
    public string? BindingKey { get; private set; }

    public Money Amount => new(AmountMinor, Currency);

    public static PaymentAttempt Start(string merchantId, string linkId, string accountId, string provider, Money amount, TimeProvider clock,
        PayMethod method = PayMethod.Card) => new()
    {
        Method = method,
        Id = Ids.New("att", clock), MerchantId = merchantId, LinkId = linkId, GatewayAccountId = accountId,
        Provider = provider, AmountMinor = amount.Minor, Currency = amount.Currency, Status = AttemptStatus.Created,
        CreatedAt = clock.GetUtcNow(),
    };

    public void RecordConsent(string json) => ConsentJson = json;

    /// <summary>A merchant-initiated charge was sent: from now on a repeat must not send it again.</summary>
    public void Sent() => Status = Status == AttemptStatus.Created ? AttemptStatus.Pending : Status;

    public void ChargesSavedMethod(string methodId) => SavedMethodId = methodId;

    public void SbpBindingStarted(string key) => BindingKey = key.Length > 100 ? key[..100] : key;

    public void CheckoutCreated(string externalId, string checkoutUrl)
    {
        ExternalId = externalId;
        CheckoutUrl = checkoutUrl;
        Status = AttemptStatus.Pending;
    }

    public bool Succeed(string? externalId, DateTimeOffset at)
    {
        if (Status == AttemptStatus.Succeeded) return false;
        ExternalId ??= externalId;
        Status = AttemptStatus.Succeeded;
        CompletedAt = at;
        return true;
    }

    public bool Fail(string reason, DateTimeOffset at)
    {
        if (Status is AttemptStatus.Succeeded or AttemptStatus.Failed) return false;
        Status = AttemptStatus.Failed;
        FailureReason = reason.Length > 500 ? reason[..500] : reason;
        CompletedAt = at;
        return true;
    }
}
