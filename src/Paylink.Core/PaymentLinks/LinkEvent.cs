using Paylink.Core.Common;

namespace Paylink.Core.PaymentLinks;

/// <summary>Append-only history of a link; metrics are computed from it.</summary>
public sealed class LinkEvent : IMerchantOwned
{
    private LinkEvent() { }

    public long Id { get; private set; }
    public string MerchantId { get; private set; } = "";
    public string LinkId { get; private set; } = "";
    public string Type { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
    /// <summary>Small JSON object with details (gateway, amount, reason). Never personal data in clear.</summary>
    public string? DataJson { get; private set; }

    public static LinkEvent For(PaymentLink link, string type, DateTimeOffset at, string? dataJson = null) =>
        For(link.MerchantId, link.Id, type, at, dataJson);

    /// <summary>The <c>channel</c> field of a <c>sent</c> event's data (telegram, exolve, email, webchat), or null when absent or unreadable.</summary>
    public static string? ChannelOf(string dataJson)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(dataJson);
            return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && doc.RootElement.TryGetProperty("channel", out var c)
                && c.ValueKind == System.Text.Json.JsonValueKind.String ? c.GetString() : null;
        }
        catch (System.Text.Json.JsonException) { return null; }
    }

    public static LinkEvent For(string merchantId, string linkId, string type, DateTimeOffset at, string? dataJson = null) => new()
    {
        MerchantId = merchantId, LinkId = linkId, Type = type, At = at, DataJson = dataJson,
    };
}

public static class LinkEventTypes
{
    public const string Created = "created";
    public const string Sent = "sent";
    public const string Opened = "opened";
    public const string CheckoutStarted = "checkout_started";
    public const string CheckoutFailed = "checkout_failed";
    public const string Paid = "paid";
    public const string PaymentMismatch = "payment_mismatch";
    public const string Expired = "expired";
    public const string Cancelled = "cancelled";
    public const string DuplicatePayment = "duplicate_payment";
    public const string Authorized = "authorized";
    public const string Captured = "captured";
    public const string Voided = "voided";
    public const string Refunded = "refunded";
    public const string RefundFailed = "refund_failed";
    public const string Settled = "settled";
    public const string Failover = "gateway_failover";
    public const string Reconciled = "reconciled";
    /// <summary>A payment method was saved for later charges with the customer's consent (SBP autopay: the bank bound the account).</summary>
    public const string MethodSaved = "method_saved";
    /// <summary>A saved method ended at the gateway (SBP autopay: the payer's bank deactivated the binding); no further charges.</summary>
    public const string MethodRevoked = "method_revoked";
}
