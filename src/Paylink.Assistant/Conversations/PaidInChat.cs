using Microsoft.EntityFrameworkCore;
using Paylink.Core.Bookings;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Merchants;
using Paylink.Core.Messaging;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Localization;

namespace Paylink.Assistant.Conversations;

/// <summary>
/// A paid link that was sent in a conversation queues <see cref="PaidInChat"/> in the same SaveChanges as the
/// payment (outbox), one job per link (dedupe key = the link id), so a notification delivered twice, or a
/// retried SaveChanges, never queues a second confirmation. The check here is one indexed read; whether the
/// link is the assistant's is decided by the job.
/// </summary>
public sealed class PaidInChatReaction(IJobQueue jobs) : ILinkEventReaction
{
    public async ValueTask ReactAsync(AppDbContext db, IReadOnlyList<LinkEvent> added, bool sync, CancellationToken ct)
    {
        foreach (var e in added)
        {
            if (e.Type != LinkEventTypes.Paid) continue;
            var key = PaidInChat.DedupeKey(e.LinkId);
            var sent = db.ChannelMessages.IgnoreQueryFilters().Where(m => m.LinkId == e.LinkId && m.MerchantId == e.MerchantId);
            var jobsOfLink = db.Jobs.Where(j => j.Type == PaidInChat.JobType && j.DedupeKey == key);
            var inChat = sync ? sent.Any() : await sent.AnyAsync(ct);
            if (!inChat) continue;
            var queued = db.ChangeTracker.Entries<Job>().Any(j => j.State == EntityState.Added && j.Entity.Type == PaidInChat.JobType && j.Entity.DedupeKey == key)
                || (sync ? jobsOfLink.Any() : await jobsOfLink.AnyAsync(ct));
            if (!queued) jobs.Enqueue(db, PaidInChat.JobType, new PaidInChat.Payload(e.MerchantId, e.LinkId), dedupeKey: key);
        }
    }
}

/// <summary>
/// Job <c>assistant.paid</c>: tells the client, in the conversation the assistant sent the link in and in that
/// conversation's language, that the payment arrived — the booking (service, local date and time) and the amount.
/// Sent only for a link the assistant created or a link of a booking the assistant made, and at most once per link:
/// a run that finds its message already written does nothing.
/// </summary>
public sealed class PaidInChat(AppDbContext db, MerchantScope scope, MerchantCache merchants, MessageOutbox outbox) : IJobHandler
{
    public const string JobType = "assistant.paid";
    /// <summary>The template name on the message, which also marks it as written (exactly once per link).</summary>
    public const string Template = "assistant_paid";
    public static readonly JobRetryPolicy Policy = new(8, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5));

    public sealed record Payload(string MerchantId, string LinkId);

    public static string DedupeKey(string linkId) => "paid:" + linkId;

    public async Task<JobResult> HandleAsync(JobContext job, CancellationToken ct)
    {
        var p = job.Read<Payload>();
        scope.MerchantId = p.MerchantId;
        var link = await db.PaymentLinks.AsNoTracking().FirstOrDefaultAsync(l => l.Id == p.LinkId, ct);
        if (link?.PaidAt is null) return JobResult.Done;
        var merchant = await merchants.GetAsync(p.MerchantId, ct);
        if (merchant is null) return JobResult.Done;
        var booking = await BookingOfAsync(link, ct);

        var conversationIds = await db.ChannelMessages.AsNoTracking().Where(m => m.LinkId == link.Id)
            .Select(m => m.ConversationId).Distinct().ToListAsync(ct);
        var bookingId = booking?.Id;
        var ours = (await db.AssistantDecisions.AsNoTracking()
                .Where(d => conversationIds.Contains(d.ConversationId) && (d.LinkId == link.Id || (bookingId != null && d.BookingId == bookingId)))
                .Select(d => d.ConversationId).Distinct().ToListAsync(ct))
            .Order(StringComparer.Ordinal).FirstOrDefault();
        if (ours is null) return JobResult.Done;   // a link a manager sent: the manager tells the client
        var conversation = await db.Conversations.FirstAsync(c => c.Id == ours, ct);
        if (await db.ChannelMessages.AnyAsync(m => m.ConversationId == conversation.Id && m.LinkId == link.Id && m.Template == Template, ct))
            return JobResult.Done;

        var text = PaidTexts.Confirmation(conversation.Language, merchant.Zone, link.Amount, link.Description,
            booking is null ? null : (booking.ServiceName, booking.StartAt, booking.Status == BookingStatus.Confirmed), receiptUrl: null);
        outbox.Queue(db, conversation, text, link.Id, Template, author: AssistantReply.Author);
        await db.SaveChangesAsync(ct);
        return JobResult.Done;
    }

    /// <summary>The booking the link pays for: its prepayment link, or a further link of its order (<c>&lt;booking&gt;:balance</c>).</summary>
    private async Task<Booking?> BookingOfAsync(PaymentLink link, CancellationToken ct)
    {
        var order = link.OrderRef;
        var balanceOf = order is not null && order.EndsWith(ConversationBackend.BalanceSuffix, StringComparison.Ordinal) ? order[..^ConversationBackend.BalanceSuffix.Length] : null;
        return await db.Bookings.AsNoTracking().FirstOrDefaultAsync(b => b.LinkId == link.Id || b.Id == order || b.Id == balanceOf, ct);
    }
}

/// <summary>The payment confirmation in the conversation's language: Russian by default, English for English conversations.</summary>
public static class PaidTexts
{
    /// <param name="booking">Service, start (UTC) and whether the booking is now confirmed; null for a link without a booking.</param>
    public static string Confirmation(string lang, TimeZoneInfo zone, Money amount, string description,
        (string Service, DateTimeOffset Start, bool Confirmed)? booking, string? receiptUrl)
    {
        var en = lang == "en";
        var T = Texts.For(lang);
        var money = MoneyFormat.Format(amount, en ? "en" : "ru", withMinor: amount.Minor % 100 != 0);
        var text = T.Format("Оплата {0} получена, спасибо!", money);
        if (booking is { } b)
        {
            var when = DateFormat.DateTime(b.Start, zone, en ? "en" : "ru");
            text += b.Confirmed
                ? T.Format(" Запись подтверждена: {0}, {1}.", b.Service, when)
                : $" {b.Service}, {when}.";
        }
        else if (description.Length > 0) text += T.Format(" За: {0}.", description);
        if (receiptUrl is not null) text += T.Format(" Чек: {0}", receiptUrl);
        return text;
    }
}
