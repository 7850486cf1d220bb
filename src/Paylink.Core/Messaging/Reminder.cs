using Paylink.Core.Common;

namespace Paylink.Core.Messaging;

public static class ReminderKinds
{
    /// <summary>An unpaid link: "you have not paid yet".</summary>
    public const string Link = "link";
    /// <summary>An upcoming visit (24 h / 2 h before).</summary>
    public const string Visit = "visit";
}

public static class ReminderStatuses
{
    public const string Scheduled = "scheduled";
    public const string Sent = "sent";
    /// <summary>Handed to the manager (escalation's last step, or no channel could reach the client).</summary>
    public const string Escalated = "escalated";
    public const string Cancelled = "cancelled";
    /// <summary>Due but pointless (e.g. the visit was in the past); nothing sent.</summary>
    public const string Skipped = "skipped";
}

/// <summary>
/// One planned reminder. The <c>reminder.due</c> job (dedupe key = this id) acts only while the reminder is
/// <see cref="ReminderStatuses.Scheduled"/>, so a cancelled or already sent one never sends (again).
/// </summary>
public sealed class Reminder : IMerchantOwned
{
    private Reminder() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string Kind { get; private set; } = ReminderKinds.Link;
    public string? LinkId { get; private set; }
    public string? CustomerId { get; private set; }
    /// <summary>The conversation the reminder answers into (where the invoice went).</summary>
    public string? ConversationId { get; private set; }
    /// <summary>0-based step of the policy; chooses the escalation channel.</summary>
    public int Step { get; private set; }
    /// <summary>The channel planned for this step (a provider id or "manager").</summary>
    public string Channel { get; private set; } = "";
    public DateTimeOffset DueAt { get; private set; }
    public string Status { get; private set; } = ReminderStatuses.Scheduled;
    public string? MessageId { get; private set; }
    public string? Reason { get; private set; }
    /// <summary>Visit reminders: the service and visit time shown in the text.</summary>
    public string? Service { get; private set; }
    public DateTimeOffset? VisitAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? DoneAt { get; private set; }

    public static Reminder ForLink(string merchantId, string linkId, string? customerId, string conversationId, int step, string channel,
        DateTimeOffset dueAt, TimeProvider clock) => new()
        {
            Id = Ids.New("rem", clock), MerchantId = merchantId, Kind = ReminderKinds.Link, LinkId = linkId, CustomerId = customerId,
            ConversationId = conversationId, Step = step, Channel = channel, DueAt = dueAt, CreatedAt = clock.GetUtcNow(),
        };

    public static Reminder ForVisit(string merchantId, string? customerId, string conversationId, int step, string service,
        DateTimeOffset visitAt, DateTimeOffset dueAt, TimeProvider clock) => new()
        {
            Id = Ids.New("rem", clock), MerchantId = merchantId, Kind = ReminderKinds.Visit, CustomerId = customerId,
            ConversationId = conversationId, Step = step, Channel = "", DueAt = dueAt, Service = service, VisitAt = visitAt,
            CreatedAt = clock.GetUtcNow(),
        };

    public bool Cancel(string reason, DateTimeOffset at) => Finish(ReminderStatuses.Cancelled, reason, at);
    public bool Skip(string reason, DateTimeOffset at) => Finish(ReminderStatuses.Skipped, reason, at);
    public bool Escalate(string reason, DateTimeOffset at) => Finish(ReminderStatuses.Escalated, reason, at);

    public bool MarkSent(string messageId, string channel, DateTimeOffset at)
    {
        if (!Finish(ReminderStatuses.Sent, null, at)) return false;
        MessageId = messageId;
        Channel = channel;
        return true;
    }

    private bool Finish(string status, string? reason, DateTimeOffset at)
    {
        if (Status != ReminderStatuses.Scheduled) return false;
        Status = status;
        Reason = reason;
        DoneAt = at;
        return true;
    }
}
