using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Core.Messaging;

/// <summary>A manager's reply in a conversation: queued through <c>message.send</c> like every outgoing message;
/// clears the conversation's needs_reply flag.</summary>
public sealed class ReplyToConversation(AppDbContext db, MessageOutbox outbox)
{
    public const int MaxReply = 4000;

    public async Task<Result<ChannelMessage>> HandleAsync(string conversationId, string? text, CancellationToken ct)
    {
        var c = await db.Conversations.FirstOrDefaultAsync(x => x.Id == conversationId, ct);
        if (c is null) return Error.NotFound($"Conversation '{conversationId}'");
        text = text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > MaxReply) return Error.Validation("text", $"text is required, at most {MaxReply} characters.");
        var account = await db.ChannelAccounts.FirstOrDefaultAsync(a => a.Id == c.AccountId, ct);
        if (account is null || !account.CanSend) return Error.Conflict("channel_disabled", "The conversation's channel account is disabled or deleted.");
        var m = outbox.Queue(db, c, text, author: "manager");
        c.MarkReplied();
        // A person is answering: the assistant steps back until handed the conversation again.
        c.SetAssistantPaused(true);
        await db.SaveChangesAsync(ct);
        return m;
    }
}

public sealed record MessageView(string Id, string ConversationId, string AccountId, string Channel, string? LinkId, string Direction, string To,
    string? Template, string? Language, string Text, IReadOnlyList<Providers.MessageButton>? Buttons, string? Author, string Status,
    string? ProviderMessageId, string? Error, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, DateTimeOffset? DeliveredAt,
    DateTimeOffset? FailedAt, string? FallbackFromId)
{
    public static MessageView From(ChannelMessage m) => new(m.Id, m.ConversationId, m.AccountId, m.Channel, m.LinkId, m.Direction, m.To, m.Template,
        m.Language, m.Text, MessageOutbox.ReadButtons(m.ButtonsJson), m.Author, m.Status, m.ProviderMessageId, m.Error, m.Attempts, m.CreatedAt,
        m.SentAt, m.DeliveredAt, m.FailedAt, m.FallbackFromId);
}

public sealed record ConversationView(string Id, string AccountId, string Channel, string Address, string? CustomerId, string? DisplayName,
    string Language, bool NeedsReply, bool OptedOut, bool AssistantActive, DateTimeOffset CreatedAt, DateTimeOffset LastMessageAt, IReadOnlyList<MessageView>? Messages)
{
    public static ConversationView From(Conversation c, IReadOnlyList<MessageView>? messages = null) => new(c.Id, c.AccountId, c.Channel, c.Address,
        c.CustomerId, c.DisplayName, c.Language, c.NeedsReply, c.OptedOut, !c.AssistantPaused, c.CreatedAt, c.LastMessageAt, messages);
}

public sealed record ReminderView(string Id, string Kind, string? LinkId, string? ConversationId, int Step, string Channel, DateTimeOffset DueAt,
    string Status, string? MessageId, string? Reason, DateTimeOffset? DoneAt)
{
    public static ReminderView From(Reminder r) => new(r.Id, r.Kind, r.LinkId, r.ConversationId, r.Step, r.Channel, r.DueAt, r.Status, r.MessageId, r.Reason, r.DoneAt);
}

/// <summary>Reads of conversations, messages and reminders for the merchant in scope.</summary>
public sealed class ConversationQueries(AppDbContext db)
{
    public const int MaxPage = 100;

    /// <summary>Newest activity first; <paramref name="needsReply"/> filters the manager's queue.</summary>
    public async Task<List<Conversation>> ListAsync(bool? needsReply, string? accountId, int limit, CancellationToken ct)
    {
        var q = db.Conversations.AsNoTracking();
        if (needsReply is { } n) q = q.Where(c => c.NeedsReply == n);
        if (accountId is not null) q = q.Where(c => c.AccountId == accountId);
        // Sorted in memory after a bounded fetch by id (ULIDs follow creation) to stay provider-neutral on DateTimeOffset ordering.
        var rows = await q.ToListAsync(ct);
        return rows.OrderByDescending(c => c.LastMessageAt).ThenByDescending(c => c.Id, StringComparer.Ordinal).Take(Math.Clamp(limit, 1, MaxPage)).ToList();
    }

    public async Task<Result<ConversationView>> GetAsync(string id, CancellationToken ct)
    {
        var c = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return Error.NotFound($"Conversation '{id}'");
        var messages = (await db.ChannelMessages.AsNoTracking().Where(m => m.ConversationId == id).ToListAsync(ct))
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id, StringComparer.Ordinal).Select(MessageView.From).ToList();
        return ConversationView.From(c, messages);
    }

    public async Task<Result<MessageView>> MessageAsync(string id, CancellationToken ct) =>
        await db.ChannelMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct) is { } m ? MessageView.From(m) : Error.NotFound($"Message '{id}'");

    /// <summary>A link's outbound messages in order: which channel reached the client, and which fell back to which.</summary>
    public async Task<Result<List<MessageView>>> LinkMessagesAsync(string linkId, CancellationToken ct)
    {
        if (!await db.PaymentLinks.AnyAsync(l => l.Id == linkId, ct)) return Error.NotFound($"Link '{linkId}'");
        return (await db.ChannelMessages.AsNoTracking().Where(m => m.LinkId == linkId).ToListAsync(ct))
            .OrderBy(m => m.Id, StringComparer.Ordinal).Select(MessageView.From).ToList();
    }

    public async Task<Result<List<ReminderView>>> LinkRemindersAsync(string linkId, CancellationToken ct)
    {
        if (!await db.PaymentLinks.AnyAsync(l => l.Id == linkId, ct)) return Error.NotFound($"Link '{linkId}'");
        return (await db.Reminders.AsNoTracking().Where(r => r.LinkId == linkId).ToListAsync(ct))
            .OrderBy(r => r.Step).ThenBy(r => r.Id, StringComparer.Ordinal).Select(ReminderView.From).ToList();
    }
}
