namespace Paylink.Core.Webhooks;

/// <summary>
/// A verified notification from a provider, stored raw. The unique (Provider, AccountId, EventId) index is the
/// dedupe: the row is inserted in the same transaction as the effect, so one event acts once per account.
/// A gateway report that matched none of our attempts leaves no row (it must not block a later genuine one).
/// </summary>
public sealed class InboundEvent
{
    private InboundEvent() { }

    public long Id { get; private set; }
    public string Provider { get; private set; } = "";
    public string AccountId { get; private set; } = "";
    public string? MerchantId { get; private set; }
    public string EventId { get; private set; } = "";
    public string Body { get; private set; } = "";
    public DateTimeOffset ReceivedAt { get; private set; }
    public string Outcome { get; private set; } = "";

    public static InboundEvent Create(string provider, string accountId, string? merchantId, string eventId, string body,
        DateTimeOffset now, string outcome) => new()
        {
            Provider = provider, AccountId = accountId, MerchantId = merchantId, EventId = eventId, Body = body,
            ReceivedAt = now, Outcome = outcome,
        };
}
