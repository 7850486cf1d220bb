namespace Paylink.Core.Webhooks;

/// <summary>An endpoint as the API shows it; never with its secret.</summary>
public sealed record WebhookEndpointView(string Id, string Url, IReadOnlyList<string> Events, string Status, string? DisabledReason,
    DateTimeOffset CreatedAt, DateTimeOffset? SecretRotatedAt)
{
    public static WebhookEndpointView From(WebhookEndpoint e) =>
        new(e.Id, e.Url, e.EventList, e.Enabled ? "enabled" : "disabled", e.DisabledReason, e.CreatedAt, e.SecretRotatedAt);
}

/// <summary>The answer to create and rotate: the only time the signing secret is shown.</summary>
public sealed record WebhookEndpointWithSecretView(string Id, string Url, IReadOnlyList<string> Events, string Status,
    DateTimeOffset CreatedAt, DateTimeOffset? SecretRotatedAt, string Secret)
{
    public static WebhookEndpointWithSecretView From(WebhookEndpoint e, string secret) =>
        new(e.Id, e.Url, e.EventList, e.Enabled ? "enabled" : "disabled", e.CreatedAt, e.SecretRotatedAt, secret);
}

public sealed record WebhookDeliveryView(string Id, string EndpointId, string EventType, string EventId, string Status, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt, int? LastStatusCode, string? LastError, string? LastResponseBody,
    DateTimeOffset? DeliveredAt, DateTimeOffset? NextAttemptAt)
{
    public static WebhookDeliveryView From(WebhookDelivery d, DateTimeOffset? nextAttemptAt) =>
        new(d.Id, d.EndpointId, d.EventType, d.EventId, d.Status.ToString().ToLowerInvariant(), d.Attempts, d.CreatedAt, d.LastAttemptAt,
            d.LastStatusCode, d.LastError, d.LastResponseBody, d.DeliveredAt,
            d.Status == WebhookDeliveryStatus.Pending ? nextAttemptAt : null);
}
