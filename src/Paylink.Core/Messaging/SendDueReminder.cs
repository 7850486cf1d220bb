using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Merchants;
using Paylink.Core.PaymentLinks;

namespace Paylink.Core.Messaging;

/// <summary>
/// The <c>reminder.due</c> job: sends one planned reminder if it is still wanted. Acts only on a scheduled
/// reminder (cancelled or sent ones are left alone: never twice), re-checks that the link is still open
/// and the client has not opted out, then queues the reminder message on the step's channel, or flags the
/// conversation for the manager on a "manager" step or when no channel reaches the client.
/// </summary>
public sealed class SendDueReminder(AppDbContext db, SendLinkMessage links, MessageOutbox outbox, MessageTemplates templates,
    MerchantCache merchants, ClientReach reach, TimeProvider clock) : IJobHandler
{
    public const string JobType = "reminder.due";
    public static readonly JobRetryPolicy Policy = new(5, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30));

    public sealed record Payload(string ReminderId);

    public async Task<JobResult> HandleAsync(JobContext job, CancellationToken ct)
    {
        var id = job.Read<Payload>().ReminderId;
        var reminder = await db.Reminders.IgnoreQueryFilters().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (reminder is null || reminder.Status != ReminderStatuses.Scheduled) return JobResult.Done;
        var now = clock.GetUtcNow();
        var conversation = reminder.ConversationId is null ? null
            : await db.Conversations.IgnoreQueryFilters().FirstOrDefaultAsync(c => c.Id == reminder.ConversationId, ct);
        var merchant = await merchants.GetAsync(reminder.MerchantId, ct);
        if (conversation is null || merchant is null) { reminder.Skip("conversation gone", now); await db.SaveChangesAsync(ct); return JobResult.Done; }
        if (conversation.OptedOut) { reminder.Cancel("opted_out", now); await db.SaveChangesAsync(ct); return JobResult.Done; }

        if (reminder.Kind == ReminderKinds.Visit)
        {
            var m = await QueueVisitAsync(reminder, conversation, merchant, ct);
            reminder.MarkSent(m.Id, conversation.Channel, now);
            await db.SaveChangesAsync(ct);
            return JobResult.Done;
        }

        var link = await db.PaymentLinks.IgnoreQueryFilters().FirstOrDefaultAsync(l => l.Id == reminder.LinkId, ct);
        if (link is null || link.StatusAt(now) != LinkStatus.Open)
        {
            reminder.Cancel("link_" + (link?.StatusAt(now).ToWire() ?? "gone"), now);
            await db.SaveChangesAsync(ct);
            return JobResult.Done;
        }
        if (reminder.Channel == ReminderPolicy.Manager)
        {
            conversation.MarkNeedsReply();
            reminder.Escalate("manager_task", now);
            await db.SaveChangesAsync(ct);
            return JobResult.Done;
        }
        var target = await TargetAsync(reminder.Channel, conversation, link, ct) ?? await ReachedAsync(link, conversation, ct);
        var customer = link.CustomerId is null ? null : await db.Customers.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(c => c.Id == link.CustomerId, ct);
        var message = await links.QueueAsync(target, link, merchant, customer?.Name, TemplateEvents.Reminder, ct);
        reminder.MarkSent(message.Id, target.Channel, now);
        await db.SaveChangesAsync(ct);
        return JobResult.Done;
    }

    /// <summary>The conversation on the step's channel: an existing one of the same client, or a new one by the
    /// contact detail the channel writes to (<see cref="ClientReach"/>); null when that channel cannot reach them.</summary>
    private async Task<Conversation?> TargetAsync(string channel, Conversation original, PaymentLink link, CancellationToken ct)
    {
        if (channel == ReminderPolicy.Same || channel == original.Channel) return null;
        var customerId = link.CustomerId ?? original.CustomerId;
        if (customerId is null) return null;
        return await reach.ConversationAsync(original.MerchantId, channel, customerId, original.Language, ct);
    }

    /// <summary>"same" follows the fallback: the conversation of the link's latest message that the channel took
    /// (sent or delivered), so a reminder goes where the invoice reached the client, else the invoice's conversation.</summary>
    private async Task<Conversation> ReachedAsync(PaymentLink link, Conversation original, CancellationToken ct)
    {
        var last = await db.ChannelMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.LinkId == link.Id && m.Direction == MessageDirections.Outbound
                && (m.Status == MessageStatuses.Sent || m.Status == MessageStatuses.Delivered))
            .OrderByDescending(m => m.Id).Select(m => m.ConversationId).FirstOrDefaultAsync(ct);
        if (last is null || last == original.Id) return original;
        var reached = await db.Conversations.IgnoreQueryFilters().FirstOrDefaultAsync(c => c.Id == last, ct);
        return reached is null || reached.OptedOut ? original : reached;
    }

    private async Task<ChannelMessage> QueueVisitAsync(Reminder r, Conversation c, Merchant merchant, CancellationToken ct)
    {
        var lang = c.Language;
        var local = DateFormat.ToLocal(r.VisitAt!.Value, merchant.Zone);
        var customer = r.CustomerId is null ? null : await db.Customers.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(x => x.Id == r.CustomerId, ct);
        var values = new TemplateValues
        {
            ["client.name"] = customer?.Name ?? c.DisplayName ?? "", ["service"] = r.Service ?? "", ["merchant.name"] = merchant.Name,
            ["date"] = DateFormat.Date(local, lang), ["time"] = local.ToString("HH:mm", CultureInfo.InvariantCulture),
        };
        var (text, _) = await templates.GetAsync(merchant.Id, TemplateEvents.VisitReminder, lang, ct);
        return outbox.Queue(db, c, MessageTemplates.Render(text, values, lang), template: TemplateEvents.VisitReminder);
    }
}
