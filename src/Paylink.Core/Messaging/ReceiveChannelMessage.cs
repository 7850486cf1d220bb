using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paylink.Core.Data;
using Paylink.Core.Webhooks;

namespace Paylink.Core.Messaging;

/// <summary>A client's message as a channel adapter parsed it.</summary>
/// <param name="Address">The client's address on the channel (chat id, phone, visitor id), normalised.</param>
/// <param name="EventId">The provider's unique id of this delivery (Telegram update_id), for deduplication.</param>
public sealed record InboundChannelMessage(string Address, string Text, string? DisplayName, string? Language, string? ProviderMessageId, string EventId);

/// <summary>
/// What happens to a client's message once stored. The assistant plugs in here later; until then
/// <see cref="QueueForManager"/> flags the conversation for a person. Runs inside the receiving unit of
/// work: add rows (replies through <see cref="MessageOutbox"/>), do not save.
/// </summary>
public interface IConversationHandler
{
    Task HandleAsync(AppDbContext db, Conversation conversation, ChannelMessage inbound, CancellationToken ct);
}

/// <summary>Default handler: the conversation waits for the manager (<c>needs_reply</c>).</summary>
public sealed class QueueForManager : IConversationHandler
{
    public Task HandleAsync(AppDbContext db, Conversation conversation, ChannelMessage inbound, CancellationToken ct)
    {
        conversation.MarkNeedsReply();
        return Task.CompletedTask;
    }
}

public enum ReceiveOutcome { Stored, Duplicate, OptedOut, OptedIn }

/// <summary>
/// Stores one inbound message in its conversation exactly once (dedupe on the provider's event id), then
/// either records an opt-out ("стоп"/"stop"/"/stop": reminders cancelled, one confirmation sent), an opt-in
/// ("старт"/"start"/"/start" after an opt-out), or hands it to the <see cref="IConversationHandler"/>.
/// </summary>
public sealed class ReceiveChannelMessage(AppDbContext db, MessageOutbox outbox, MessageTemplates templates, IConversationHandler handler,
    TimeProvider clock, ILogger<ReceiveChannelMessage> log)
{
    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase) { "стоп", "stop", "/stop", "отписаться", "unsubscribe" };
    private static readonly HashSet<string> StartWords = new(StringComparer.OrdinalIgnoreCase) { "старт", "start", "/start" };

    public async Task<ReceiveOutcome> HandleAsync(ChannelAccount account, InboundChannelMessage m, CancellationToken ct)
    {
        var eventId = $"{account.Id}:{m.EventId}";
        if (await db.InboundEvents.AsNoTracking().AnyAsync(e => e.Provider == account.Provider && e.AccountId == account.Id && e.EventId == eventId, ct))
            return ReceiveOutcome.Duplicate;
        var now = clock.GetUtcNow();
        var conversation = await outbox.ConversationAsync(db, account, m.Address, null, m.DisplayName, m.Language, ct);
        var message = ChannelMessage.Incoming(conversation, m.Text, m.ProviderMessageId, clock);
        db.ChannelMessages.Add(message);
        conversation.Touch(now);

        var word = Command(m.Text);
        ReceiveOutcome outcome;
        if (StopWords.Contains(word))
        {
            outcome = ReceiveOutcome.OptedOut;
            if (conversation.OptOut(now))
            {
                await CancelRemindersAsync(conversation, now, ct);
                var (text, _) = await templates.GetAsync(account.MerchantId, TemplateEvents.OptOutConfirmation, conversation.Language, ct);
                outbox.Queue(db, conversation, MessageTemplates.Render(text, new TemplateValues(), conversation.Language), template: TemplateEvents.OptOutConfirmation);
            }
        }
        else if (StartWords.Contains(word.Split(' ')[0]) && conversation.OptedOut)
        {
            conversation.OptIn();
            outcome = ReceiveOutcome.OptedIn;
            await handler.HandleAsync(db, conversation, message, ct);
        }
        else
        {
            outcome = ReceiveOutcome.Stored;
            await handler.HandleAsync(db, conversation, message, ct);
        }

        // The raw update is not kept (it is the client's personal message); the row is the dedupe key.
        db.InboundEvents.Add(InboundEvent.Create(account.Provider, account.Id, account.MerchantId, eventId, "", now, outcome.ToString().ToLowerInvariant()));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (AppDbContext.IsUniqueViolation(ex))
        {
            // The same update arrived twice at once; the other request stored it.
            db.ChangeTracker.Clear();
            return ReceiveOutcome.Duplicate;
        }
        log.LogInformation("Inbound {Channel} message {MessageId} in conversation {ConversationId}: {Outcome}", account.Provider, message.Id, conversation.Id, outcome);
        return outcome;
    }

    /// <summary>Cancels every scheduled reminder of the conversation and of its client.</summary>
    public async Task CancelRemindersAsync(Conversation c, DateTimeOffset now, CancellationToken ct)
    {
        var reminders = await db.Reminders.IgnoreQueryFilters()
            .Where(r => r.MerchantId == c.MerchantId && r.Status == ReminderStatuses.Scheduled
                && (r.ConversationId == c.Id || (c.CustomerId != null && r.CustomerId == c.CustomerId)))
            .ToListAsync(ct);
        foreach (var r in reminders) r.Cancel("opted_out", now);
    }

    private static string Command(string text)
    {
        var t = text.Trim().TrimEnd('.', '!').Trim();
        if (t.StartsWith('/') && t.Contains('@', StringComparison.Ordinal)) t = t[..t.IndexOf('@', StringComparison.Ordinal)];   // /stop@MyBot
        return t.Length > 40 ? "" : t.ToLowerInvariant();
    }
}
