using Paylink.Core.Data;
using Paylink.Core.Jobs;

namespace Paylink.Core.Bookings;

/// <summary>
/// What follows a booking change, added to the same SaveChanges as jobs (never slow work inline): the
/// closing receipt of a prepaid visit that was done, the CRM deal's stage (<c>crm.sync</c>) and the visit
/// reminders (<c>booking.visit_reminders</c>).
/// </summary>
public sealed class BookingHooks(IJobQueue jobs)
{
    public void Created(AppDbContext db, Booking booking) =>
        jobs.Enqueue(db, Crm.CrmSync.JobType, Crm.CrmSync.Payload.ForBooking(booking, "created"));

    /// <summary>The visit moved: the CRM hears of it; a confirmed visit's reminders are planned for the new time.</summary>
    public void Moved(AppDbContext db, Booking booking)
    {
        jobs.Enqueue(db, Crm.CrmSync.JobType, Crm.CrmSync.Payload.ForBooking(booking, "rescheduled"));
        if (booking.Status is BookingStatus.Confirmed)
            jobs.Enqueue(db, BookingVisitReminders.JobType, new BookingVisitReminders.Payload(booking.Id));
    }

    public void StatusChanged(AppDbContext db, Booking booking)
    {
        if (booking.Status == BookingStatus.VisitDone && booking.LinkId is not null)
            jobs.Enqueue(db, SettleBookingReceipt.JobType, new SettleBookingReceipt.Payload(booking.Id), dedupeKey: booking.Id);
        jobs.Enqueue(db, Crm.CrmSync.JobType, Crm.CrmSync.Payload.ForBooking(booking, booking.Status.ToWire()));
        if (booking.Status is BookingStatus.Confirmed || booking.IsFinal)
            jobs.Enqueue(db, BookingVisitReminders.JobType, new BookingVisitReminders.Payload(booking.Id));
    }
}
