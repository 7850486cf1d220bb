using Microsoft.EntityFrameworkCore;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Messaging;

namespace Paylink.Core.Bookings;

/// <summary>
/// Job <c>booking.visit_reminders</c>, queued by <see cref="BookingHooks"/> on every status change: a
/// confirmed future visit gets its reminders (policy: 24 h and 2 h before) in the client's most recent
/// conversation; a visit that is cancelled, done or missed has its scheduled reminders cancelled. A
/// booking's reminders are the client's visit reminders for its start time. Clients without a
/// conversation (booked by phone, by the API) get none: there is nowhere to send them.
/// </summary>
public sealed class BookingVisitReminders(AppDbContext db, ScheduleVisitReminders schedule, TimeProvider clock) : IJobHandler
{
    public const string JobType = "booking.visit_reminders";
    public static readonly JobRetryPolicy Policy = new(8, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(30));

    public sealed record Payload(string BookingId);

    public async Task<JobResult> HandleAsync(JobContext job, CancellationToken ct)
    {
        var p = job.Read<Payload>();
        var booking = await db.Bookings.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(b => b.Id == p.BookingId, ct);
        if (booking is null) return JobResult.Done;
        var now = clock.GetUtcNow();
        var existing = await db.Reminders.IgnoreQueryFilters()
            .Where(r => r.MerchantId == booking.MerchantId && r.Kind == ReminderKinds.Visit && r.CustomerId == booking.CustomerId
                && r.VisitAt == booking.StartAt && r.Status == ReminderStatuses.Scheduled)
            .ToListAsync(ct);
        if (booking.Status == BookingStatus.Confirmed && booking.StartAt > now)
        {
            if (existing.Count > 0) return JobResult.Done;   // planned by an earlier run
            var conversation = await db.Conversations.IgnoreQueryFilters()
                .Where(c => c.MerchantId == booking.MerchantId && c.CustomerId == booking.CustomerId)
                .OrderByDescending(c => c.LastMessageAt).FirstOrDefaultAsync(ct);
            if (conversation is null) return JobResult.Done;
            await schedule.PlanAsync(conversation, booking.CustomerId, booking.StartAt, booking.ServiceName, ct);
        }
        else if (booking.IsFinal)
        {
            foreach (var r in existing) r.Cancel("booking " + booking.Status.ToWire(), now);
        }
        await db.SaveChangesAsync(ct);
        return JobResult.Done;
    }
}
