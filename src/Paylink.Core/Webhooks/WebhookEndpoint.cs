using Paylink.Core.Common;

namespace Paylink.Core.Webhooks;

/// <summary>
/// A merchant's URL that receives signed event notifications (Standard Webhooks). The signing secret is
/// stored only encrypted; it is shown once, at creation or rotation.
/// </summary>
public sealed class WebhookEndpoint : IMerchantOwned
{
    public const int MaxUrlLength = 2000;

    private WebhookEndpoint() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string Url { get; private set; } = "";
    /// <summary>Subscribed event types, comma-separated (e.g. <c>link.paid,link.expired</c>).</summary>
    public string Events { get; private set; } = "";
    public string ProtectedSecret { get; private set; } = "";
    public bool Enabled { get; private set; } = true;
    public string? DisabledReason { get; private set; }
    public DateTimeOffset? DisabledAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SecretRotatedAt { get; private set; }

    public IReadOnlyList<string> EventList => Events.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public bool Subscribes(string eventType) => EventList.Contains(eventType, StringComparer.Ordinal);

    internal static WebhookEndpoint Create(string merchantId, string url, IEnumerable<string> events, string protectedSecret, TimeProvider clock) => new()
    {
        Id = Ids.New("whe", clock), MerchantId = merchantId, Url = url, Events = string.Join(',', events),
        ProtectedSecret = protectedSecret, CreatedAt = clock.GetUtcNow(),
    };

    internal void RotateSecret(string protectedSecret, DateTimeOffset now)
    {
        ProtectedSecret = protectedSecret;
        SecretRotatedAt = now;
    }

    /// <summary>Stops deliveries (the receiver answered 410 Gone). Returns false when already disabled.</summary>
    public bool Disable(string reason, DateTimeOffset now)
    {
        if (!Enabled) return false;
        Enabled = false;
        DisabledReason = reason.Length > 200 ? reason[..200] : reason;
        DisabledAt = now;
        return true;
    }
}

public enum WebhookDeliveryStatus { Pending, Delivered, Failed }

/// <summary>
/// One event for one endpoint. <see cref="Id"/> is the Standard Webhooks <c>webhook-id</c>: the same on every
/// retry and manual redelivery, so receivers dedupe on it. Keeps the last attempt's answer for the log.
/// </summary>
public sealed class WebhookDelivery : IMerchantOwned
{
    public const int MaxResponseBody = 1024;

    private WebhookDelivery() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string EndpointId { get; private set; } = "";
    public string EventType { get; private set; } = "";
    public string EventId { get; private set; } = "";
    /// <summary>The exact JSON body sent (no secrets; the link's public shape).</summary>
    public string Payload { get; private set; } = "";
    public WebhookDeliveryStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? LastAttemptAt { get; private set; }
    public int? LastStatusCode { get; private set; }
    public string? LastError { get; private set; }
    /// <summary>First <see cref="MaxResponseBody"/> bytes of the last answer.</summary>
    public string? LastResponseBody { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }
    /// <summary>The job currently carrying the delivery.</summary>
    public long? JobId { get; private set; }

    internal static WebhookDelivery Create(string merchantId, string endpointId, string eventType, string eventId, string payload, TimeProvider clock) => new()
    {
        Id = Ids.New("msg", clock), MerchantId = merchantId, EndpointId = endpointId, EventType = eventType, EventId = eventId,
        Payload = payload, Status = WebhookDeliveryStatus.Pending, CreatedAt = clock.GetUtcNow(),
    };

    internal void Attempted(DateTimeOffset now, int? statusCode, string? error, string? responseBody, bool delivered, bool final)
    {
        Attempts++;
        LastAttemptAt = now;
        LastStatusCode = statusCode;
        LastError = error is { Length: > 500 } ? error[..500] : error;
        LastResponseBody = responseBody;
        if (delivered) { Status = WebhookDeliveryStatus.Delivered; DeliveredAt = now; }
        else if (final) Status = WebhookDeliveryStatus.Failed;
    }

    internal void CarriedBy(long jobId) => JobId = jobId;

    /// <summary>Queues the same message again (same id and body), whatever its status.</summary>
    internal void Redeliver()
    {
        Status = WebhookDeliveryStatus.Pending;
        DeliveredAt = null;
    }
}

/// <summary>The events merchants can subscribe to, and the link event each one mirrors.</summary>
public static class WebhookEventTypes
{
    public const string LinkCreated = "link.created";
    public const string LinkOpened = "link.opened";
    public const string LinkPaid = "link.paid";
    public const string LinkExpired = "link.expired";
    public const string LinkCancelled = "link.cancelled";
    public const string LinkRefunded = "link.refunded";

    public static readonly IReadOnlyList<string> All = [LinkCreated, LinkOpened, LinkPaid, LinkExpired, LinkCancelled, LinkRefunded];

    /// <summary>The webhook event for a <see cref="PaymentLinks.LinkEvent"/> type, or null when it has none.</summary>
    public static string? ForLinkEvent(string linkEventType) => linkEventType switch
    {
        PaymentLinks.LinkEventTypes.Created => LinkCreated,
        PaymentLinks.LinkEventTypes.Opened => LinkOpened,
        PaymentLinks.LinkEventTypes.Paid => LinkPaid,
        PaymentLinks.LinkEventTypes.Expired => LinkExpired,
        PaymentLinks.LinkEventTypes.Cancelled => LinkCancelled,
        PaymentLinks.LinkEventTypes.Refunded => LinkRefunded,
        _ => null,
    };
}
