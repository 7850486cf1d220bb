using Microsoft.EntityFrameworkCore;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Merchants;
using Paylink.Core.PaymentLinks;

namespace Paylink.Core.Messaging;

/// <summary>
/// Plans the unpaid-link reminders of a link when its invoice is first sent: one <see cref="Reminder"/> per
/// policy step (times moved out of quiet hours, none after the link expires), each with a
/// <c>reminder.due</c> job deduplicated by the reminder id. A link is planned once, however often it is sent.
/// </summary>
public sealed class ScheduleLinkReminders(ReminderPolicies policies, MerchantCache merchants, IJobQueue jobs, TimeProvider clock)
{
    public async Task PlanAsync(AppDbContext db, PaymentLink link, Conversation conversation, DateTimeOffset sentAt, CancellationToken ct)
    {
        if (conversation.OptedOut) return;
        if (db.Reminders.Local.Any(r => r.LinkId == link.Id)
            || await db.Reminders.IgnoreQueryFilters().AnyAsync(r => r.LinkId == link.Id && r.Kind == ReminderKinds.Link, ct)) return;
        var policy = await policies.GetAsync(link.MerchantId, ct);
        if (!policy.LinkRemindersEnabled) return;
        var merchant = await merchants.GetAsync(link.MerchantId, ct);
        var zone = merchant?.Zone ?? TimeZoneInfo.Utc;
        for (var step = 0; step < policy.LinkSteps.Count; step++)
        {
            var due = policy.DueAt(step, sentAt, zone);
            if (due >= link.ExpiresAt) continue;
            var reminder = Reminder.ForLink(link.MerchantId, link.Id, link.CustomerId, conversation.Id, step, policy.ChannelForStep(step), due, clock);
            db.Reminders.Add(reminder);
            jobs.Enqueue(db, SendDueReminder.JobType, new SendDueReminder.Payload(reminder.Id), due, dedupeKey: reminder.Id);
        }
    }
}

/// <summary>
/// Plans visit reminders (policy: 24 h and 2 h before by default) for a booking, in the client's
/// conversation. Bookings call this when they are made; a reminder falling into quiet hours moves to just
/// before they start, and one already past is not planned.
/// </summary>
public sealed class ScheduleVisitReminders(AppDbContext db, ReminderPolicies policies, MerchantCache merchants, IJobQueue jobs, TimeProvider clock)
{
    /// <summary>Adds the reminders (not saved; the caller's SaveChanges commits them with the booking).</summary>
    public async Task<List<Reminder>> PlanAsync(Conversation conversation, string? customerId, DateTimeOffset visitAt, string service, CancellationToken ct)
    {
        var planned = new List<Reminder>();
        if (conversation.OptedOut) return planned;
        var policy = await policies.GetAsync(conversation.MerchantId, ct);
        if (!policy.VisitRemindersEnabled) return planned;
        var zone = (await merchants.GetAsync(conversation.MerchantId, ct))?.Zone ?? TimeZoneInfo.Utc;
        var now = clock.GetUtcNow();
        var hours = policy.VisitHoursBefore.Distinct().OrderByDescending(h => h).ToList();
        for (var i = 0; i < hours.Count; i++)
        {
            var due = policy.OutOfQuietHours(visitAt.AddHours(-hours[i]), zone, later: false);
            if (due <= now || due >= visitAt) continue;
            var r = Reminder.ForVisit(conversation.MerchantId, customerId, conversation.Id, i, service, visitAt, due, clock);
            db.Reminders.Add(r);
            jobs.Enqueue(db, SendDueReminder.JobType, new SendDueReminder.Payload(r.Id), due, dedupeKey: r.Id);
            planned.Add(r);
        }
        return planned;
    }
}
