using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paylink.Assistant.Dialogue;
using Paylink.Core.Assistance;
using Paylink.Core.Catalog;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Merchants;
using Paylink.Core.Messaging;

namespace Paylink.Assistant.Conversations;

/// <summary>
/// Hands a client's message to the assistant: a job <c>assistant.reply</c> (never inline, so receiving a
/// webhook stays fast and a slow model or gateway cannot time the channel out). When the merchant switched
/// the assistant off (globally or for this channel account) or a person has taken the conversation over,
/// the conversation waits for the manager instead, as without an assistant.
/// </summary>
public sealed class AssistantConversationHandler(AssistantSettingsStore settings, IJobQueue jobs) : IConversationHandler
{
    public async Task HandleAsync(AppDbContext db, Conversation conversation, ChannelMessage inbound, CancellationToken ct)
    {
        var s = await settings.GetAsync(conversation.MerchantId, ct);
        if (!s.AnswersOn(conversation.AccountId) || conversation.AssistantPaused)
        {
            conversation.MarkNeedsReply();
            return;
        }
        jobs.Enqueue(db, AssistantReply.JobType, new AssistantReply.Payload(conversation.Id), dedupeKey: inbound.Id);
    }
}

/// <summary>
/// Answers a conversation's unanswered client messages in order (job <c>assistant.reply</c>): takes a short
/// lease on the conversation so two runs never answer the same message, runs the <see cref="DialogueEngine"/>
/// with the merchant's policy over <see cref="ConversationBackend"/>, queues the replies (an invoice goes as the
/// merchant's invoice template with the pay button, and plans the unpaid-link reminders), logs the decision with
/// the model's confidence, and stores the dialogue state with the cursor, one message per save.
/// </summary>
public sealed partial class AssistantReply(
    AppDbContext db, MerchantScope scope, MerchantCache merchants, AssistantSettingsStore settings, IMessageUnderstanding understanding,
    ConversationBackend backend, MessageOutbox outbox, SendLinkMessage linkMessages, ScheduleLinkReminders reminders, ChatConsent consent,
    TimeProvider clock, ILogger<AssistantReply> log) : IJobHandler
{
    public const string JobType = "assistant.reply";
    public const string Author = "assistant";
    public static readonly JobRetryPolicy Policy = new(8, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5));
    /// <summary>How long one run may hold a conversation; a crashed run's lease simply runs out.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private const int MaxBatch = 20;

    public sealed record Payload(string ConversationId);

    internal static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task<JobResult> HandleAsync(JobContext job, CancellationToken ct)
    {
        var p = job.Read<Payload>();
        var now = clock.GetUtcNow();
        var until = now + Lease;
        var taken = await db.Conversations.IgnoreQueryFilters()
            .Where(c => c.Id == p.ConversationId && (c.AssistantLeaseUntil == null || c.AssistantLeaseUntil < now))
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.AssistantLeaseUntil, until), ct);
        if (taken == 0)
            return await db.Conversations.IgnoreQueryFilters().AnyAsync(c => c.Id == p.ConversationId, ct)
                ? JobResult.Retry("The conversation is being answered by another run.", TimeSpan.FromSeconds(1))
                : JobResult.Done;
        try
        {
            await AnswerAsync(p.ConversationId, ct);
            return JobResult.Done;
        }
        finally
        {
            db.ChangeTracker.Clear();
            await db.Conversations.IgnoreQueryFilters().Where(c => c.Id == p.ConversationId)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.AssistantLeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
        }
    }

    private async Task AnswerAsync(string conversationId, CancellationToken ct)
    {
        var conversation = await db.Conversations.IgnoreQueryFilters().FirstAsync(c => c.Id == conversationId, ct);
        // From here on every query sees this merchant's rows only, exactly as its API requests do.
        scope.MerchantId = conversation.MerchantId;
        var merchant = await merchants.GetAsync(conversation.MerchantId, ct) ?? throw new InvalidOperationException("The conversation's merchant is missing.");
        var pending = (await db.ChannelMessages.AsNoTracking()
                .Where(m => m.ConversationId == conversationId && m.Direction == MessageDirections.Inbound).ToListAsync(ct))
            .Where(m => conversation.AssistantCursor is null || string.CompareOrdinal(m.Id, conversation.AssistantCursor) > 0)
            .OrderBy(m => m.Id, StringComparer.Ordinal).Take(MaxBatch).ToList();
        if (pending.Count == 0) return;

        var s = await settings.GetAsync(conversation.MerchantId, ct);
        if (!s.AnswersOn(conversation.AccountId) || conversation.AssistantPaused)
        {
            // Switched off (or taken over) after the messages arrived: they wait for a person.
            conversation.Answered(pending[^1].Id, conversation.AssistantState, paused: conversation.AssistantPaused);
            conversation.MarkNeedsReply();
            await db.SaveChangesAsync(ct);
            return;
        }
        // The merchant may require the personal data consent first: the messages then wait for it.
        var gate = await consent.CheckAsync(conversation, pending, ct);
        if (!gate.Proceed) return;
        var services = await db.CatalogServices.AsNoTracking().ToListAsync(ct);
        var catalog = CatalogSnapshot.Create(services.OrderBy(x => x.Id, StringComparer.Ordinal)
            .Select(x => new CatalogEntry(x.Id, x.Name, x.PriceMinor, x.Currency, x.Aliases, x.DurationMinutes, x.Staff.Count > 0 ? x.Staff : null)).ToList());
        var context = new DialogueContext(catalog, merchant.Zone, merchant.Name, conversation.Language);
        var engine = new DialogueEngine(new ContactsFirst(understanding, backend), s.ToPolicy(), clock);
        backend.For(conversation, merchant);

        foreach (var message in pending)
        {
            if (message.Id == gate.AgreementId)
            {
                // «Согласен» answered the consent request, not the dialogue.
                conversation.Answered(message.Id, conversation.AssistantState, paused: conversation.AssistantPaused);
                await db.SaveChangesAsync(ct);
                continue;
            }
            backend.ResetTurn();
            var state = ReadState(conversation.AssistantState);
            var reply = await engine.HandleAsync(state, ClientText(message.Text), context, backend, ct);
            // The backend may have linked the customer; reload what it saved.
            conversation = await db.Conversations.FirstAsync(c => c.Id == conversationId, ct);
            foreach (var text in reply.Texts) outbox.Queue(db, conversation, text, author: Author);
            var linkId = reply.Invoice is { } invoice ? (invoice.LinkId.Length > 0 ? invoice.LinkId : backend.OpenLinkId) : null;
            // Reminders are planned for a link made in this turn; an invoice shown again already has them.
            if (linkId is not null) await QueueInvoiceAsync(conversation, merchant, linkId, isNew: linkId == backend.LastLinkId, ct);
            var d = reply.Decision;
            db.AssistantDecisions.Add(AssistantDecision.Create(conversation.MerchantId, conversation.Id, message.Id, d.Intent.ToString().ToLowerInvariant(),
                d.Confidence, d.Source == AnalysisSource.LanguageModel ? "llm" : "rules", d.Action, reply.State.ServiceId,
                backend.LastBookingId ?? reply.State.BookingId, linkId ?? backend.LastLinkId, clock));
            conversation.Answered(message.Id, WriteState(reply.State), paused: reply.State.HandedOver);
            conversation.SpeaksIn(reply.State.Lang);
            await db.SaveChangesAsync(ct);
            log.LogInformation("Assistant answered message {MessageId} in {ConversationId}: {Intent} {Confidence:0.00} → {Action}",
                message.Id, conversation.Id, d.Intent, d.Confidence, d.Action);
            if (reply.State.HandedOver) break;   // the rest waits for the manager
        }
    }

    private async Task QueueInvoiceAsync(Conversation conversation, Merchant merchant, string linkId, bool isNew, CancellationToken ct)
    {
        var link = await db.PaymentLinks.FirstAsync(l => l.Id == linkId, ct);
        var customer = link.CustomerId is null ? null : await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == link.CustomerId, ct);
        await linkMessages.QueueAsync(conversation, link, merchant, customer?.Name, TemplateEvents.Invoice, ct);
        if (isNew) await reminders.PlanAsync(db, link, conversation, clock.GetUtcNow(), ct);
    }

    /// <summary>Telegram's "/start" (the first thing every new chat sends) is a hello.</summary>
    private static string ClientText(string text) => text.TrimStart().StartsWith("/start", StringComparison.OrdinalIgnoreCase) ? "привет" : text;

    public static DialogueState ReadState(string? json)
    {
        if (string.IsNullOrEmpty(json)) return DialogueState.New;
        try { return JsonSerializer.Deserialize<DialogueState>(json, StateJson) ?? DialogueState.New; }
        catch (JsonException) { return DialogueState.New; }   // a state from an older version: start afresh
    }

    public static string WriteState(DialogueState state) => JsonSerializer.Serialize(state, StateJson);

    /// <summary>Passes the phone and e-mail a client writes to the backend before the dialogue acts on the message.</summary>
    private sealed class ContactsFirst(IMessageUnderstanding inner, ConversationBackend backend) : IMessageUnderstanding
    {
        public async ValueTask<MessageAnalysis> UnderstandAsync(string? text, CatalogSnapshot catalog, DateTimeOffset now, TimeZoneInfo timeZone, CancellationToken ct)
        {
            var a = Extraction.BuyerExtractor.WithoutRequisiteNumbers(await inner.UnderstandAsync(text, catalog, now, timeZone, ct), text);
            backend.Phone = a.Phone ?? backend.Phone;
            backend.Email = a.Email ?? backend.Email;
            return a;
        }
    }
}
