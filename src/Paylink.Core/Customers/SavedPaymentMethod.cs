using Paylink.Core.Common;
using Paylink.Core.Payments;

namespace Paylink.Core.Customers;

/// <summary>
/// A payment method the customer agreed to save for later charges (T-Bank RebillId, YooKassa
/// payment_method.id, Stripe customer + payment method). The gateway token is stored encrypted. The
/// consent (text version, time, channel, IP, user agent) is kept as evidence; revoking it stops charges.
/// <see cref="Method"/> is <see cref="PayMethod.Sbp"/> for a bound SBP account (SBP autopay: T-Bank AccountToken, YooKassa
/// payment_method.id of type sbp) — the same consent, the same charges, each charge's payment stored as sbp. A binding can end
/// at the payer's bank; <see cref="RevokedReason"/> says who ended it.
/// </summary>
public sealed class SavedPaymentMethod : IMerchantOwned
{
    private SavedPaymentMethod() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string CustomerId { get; private set; } = "";
    public string GatewayAccountId { get; private set; } = "";
    public string Provider { get; private set; } = "";
    public string ProtectedToken { get; private set; } = "";
    public string? Title { get; private set; }
    public string SourceLinkId { get; private set; } = "";
    public string ConsentVersion { get; private set; } = "";
    public DateTimeOffset ConsentAt { get; private set; }
    public string ConsentChannel { get; private set; } = "";
    public string? ConsentIp { get; private set; }
    public string? ConsentUserAgent { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    public PayMethod Method { get; private set; }
    /// <summary>Why charges stopped: <see cref="RevokedByMerchant"/> (the API/dashboard, on the customer's request) or
    /// <see cref="RevokedByBank"/> (the payer's bank reported the SBP binding inactive, or the gateway refused the token).</summary>
    public string? RevokedReason { get; private set; }

    public const string RevokedByMerchant = "merchant";
    public const string RevokedByBank = "payer_bank";

    public bool IsActive => RevokedAt is null;

    /// <summary>The merchant-facing sentence for a revoked method (charges refused with it).</summary>
    public string RevokedMessage() => RevokedReason == RevokedByBank
        ? (Method == PayMethod.Sbp
            ? "The customer's bank deactivated the SBP account binding (autopay switched off in the bank app, or the bank ended it); the customer has to pay once more with autopay to bind it again."
            : "The gateway reported this saved method as no longer usable; the customer has to save a method again.")
        : "The consent for this payment method was revoked; it can no longer be charged.";

    public static SavedPaymentMethod Create(string merchantId, string customerId, string accountId, string provider, string protectedToken,
        string? title, string linkId, ConsentRecord consent, TimeProvider clock, PayMethod method = PayMethod.Card) => new()
    {
        Method = method,
        Id = Ids.New("pm", clock), MerchantId = merchantId, CustomerId = customerId, GatewayAccountId = accountId, Provider = provider,
        ProtectedToken = protectedToken, Title = title is { Length: > 100 } ? title[..100] : title, SourceLinkId = linkId,
        ConsentVersion = consent.Version, ConsentAt = consent.At, ConsentChannel = consent.Channel,
        ConsentIp = consent.Ip, ConsentUserAgent = consent.UserAgent is { Length: > 300 } ua ? ua[..300] : consent.UserAgent,
        CreatedAt = clock.GetUtcNow(),
    };

    public bool Revoke(DateTimeOffset at, string reason = RevokedByMerchant)
    {
        if (RevokedAt is not null) return false;
        RevokedAt = at;
        RevokedReason = reason;
        return true;
    }
}

/// <summary>The customer's consent to save a payment method, as given on the pay page.</summary>
public sealed record ConsentRecord(string Version, DateTimeOffset At, string Channel, string? Ip, string? UserAgent);

/// <summary>The consent text shown beside the required checkbox. Changing the text means a new version.</summary>
public static class RecurringConsent
{
    public const string Version = "2026-11-recurring-v1";
    public const string TextRu = "Я соглашаюсь сохранить способ оплаты и разрешаю продавцу списывать с него оплату за следующие услуги по моим заказам. Согласие можно отозвать, обратившись к продавцу.";
    public const string TextEn = "I agree to save my payment method and allow the merchant to charge it for my future orders. I can withdraw this consent by contacting the merchant.";
}
