using System.Text.Json.Nodes;
using Paylink.Core.Common;
using Paylink.Core.Payments;

namespace Paylink.Core.Providers;

/// <summary>
/// An acquirer adapter. One instance serves all merchants; per-merchant credentials arrive in
/// <see cref="GatewayContext"/>. Implementations never let SDK types out of their folder.
/// </summary>
public interface IPaymentGateway : IProvider
{
    /// <summary>Validates settings given by the merchant and returns them normalised (secrets in clear,
    /// to be encrypted by the caller). Errors name the field.</summary>
    Result<JsonObject> ValidateSettings(JsonObject settings);

    /// <summary>Settings safe to show: secrets replaced by a mask.</summary>
    JsonObject MaskSettings(JsonObject settings);

    /// <summary>Creates a checkout at the gateway. Called once per attempt; the attempt id is the
    /// idempotency key. Returns ProviderUnavailable for timeouts/5xx, ProviderDeclined for refusals.</summary>
    Task<Result<CheckoutSession>> CreateCheckoutAsync(GatewayContext context, CheckoutRequest request, CancellationToken ct);

    /// <summary>Verifies an inbound notification (signature, token, IP or re-fetch) and translates it.
    /// Must not trust amounts without verification; must not write anything.</summary>
    Task<Result<GatewayNotification>> VerifyNotificationAsync(GatewayContext context, InboundHttpRequest request, CancellationToken ct);

    /// <summary>The body to answer an accepted notification with (T-Bank wants "OK").</summary>
    string NotificationAck => "ok";
}

public sealed record GatewayContext(GatewayAccount Account, JsonObject Settings, string WebhookUrl);

public sealed record CheckoutRequest(
    string AttemptId, string LinkId, Money Amount, string Description, string ReturnUrl, DateTimeOffset ExpiresAt,
    string? CustomerEmail, string? CustomerPhone);

public sealed record CheckoutSession(string ExternalId, string RedirectUrl);

/// <summary>A raw inbound HTTP request as a provider needs it to verify: headers, exact body bytes, peer address.</summary>
public sealed record InboundHttpRequest(IReadOnlyDictionary<string, string> Headers, byte[] Body, string? RemoteIp);

public enum NotificationKind { Succeeded, Failed, Pending }

/// <summary>A verified notification. <see cref="Reference"/> is our attempt id as echoed by the gateway.</summary>
public sealed record GatewayNotification(
    string EventId, string Reference, string? ExternalPaymentId, NotificationKind Kind, Money? Amount, string? FailureReason = null);
