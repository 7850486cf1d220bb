using Paylink.Core.Common;

namespace Paylink.Core.Assistance;

/// <summary>
/// What the assistant made of one client message and what it did, with the model's confidence: the log a
/// merchant (or we) tune the threshold and the training data from. Append-only.
/// </summary>
public sealed class AssistantDecision : IMerchantOwned
{
    public const int MaxAction = 200;

    private AssistantDecision() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string ConversationId { get; private set; } = "";
    /// <summary>The inbound message the decision answers.</summary>
    public string MessageId { get; private set; } = "";
    public string Intent { get; private set; } = "";
    public double Confidence { get; private set; }
    /// <summary>rules or llm.</summary>
    public string Source { get; private set; } = "";
    /// <summary>e.g. "ask: date", "book", "handover: not understood twice".</summary>
    public string Action { get; private set; } = "";
    public string? ServiceId { get; private set; }
    public string? BookingId { get; private set; }
    public string? LinkId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public static AssistantDecision Create(string merchantId, string conversationId, string messageId, string intent, double confidence,
        string source, string action, string? serviceId, string? bookingId, string? linkId, TimeProvider clock) => new()
        {
            Id = Ids.New("dec", clock), MerchantId = merchantId, ConversationId = conversationId, MessageId = messageId, Intent = intent,
            Confidence = Math.Round(confidence, 4), Source = source, Action = action.Length > MaxAction ? action[..MaxAction] : action,
            ServiceId = serviceId, BookingId = bookingId, LinkId = linkId, CreatedAt = clock.GetUtcNow(),
        };
}

public sealed record AssistantDecisionView(string Id, string ConversationId, string MessageId, string Intent, double Confidence, string Source,
    string Action, string? ServiceId, string? BookingId, string? LinkId, DateTimeOffset CreatedAt)
{
    public static AssistantDecisionView From(AssistantDecision d) =>
        new(d.Id, d.ConversationId, d.MessageId, d.Intent, d.Confidence, d.Source, d.Action, d.ServiceId, d.BookingId, d.LinkId, d.CreatedAt);
}
