using Microsoft.EntityFrameworkCore;
using Paylink.Core.Data;
using Paylink.Core.PaymentLinks;

namespace Paylink.Core.Bookings;

/// <summary>
/// Keeps a booking's prepayment link in step with the visit, in the same SaveChanges as the booking change:
/// a cancelled visit cancels its still-open link (nobody should pay for a visit that will not happen), and a
/// visit moved earlier than the link's expiry pulls the expiry to the new start (a prepayment is for before the
/// visit). A paid or held link is left alone: its money is the merchant's decision (refund or void).
/// </summary>
public static class BookingPrepaymentLink
{
    /// <summary>Call after the booking changed (moved or reached a final status) and before SaveChanges.</summary>
    public static async Task FollowAsync(AppDbContext db, Booking booking, DateTimeOffset now, CancellationToken ct)
    {
        if (booking.LinkId is null) return;
        var link = db.ChangeTracker.Entries<PaymentLink>().FirstOrDefault(e => e.Entity.Id == booking.LinkId)?.Entity
            ?? await db.PaymentLinks.IgnoreQueryFilters().FirstOrDefaultAsync(l => l.Id == booking.LinkId && l.MerchantId == booking.MerchantId, ct);
        if (link is null) return;
        if (booking.Status == BookingStatus.Cancelled)
        {
            if (link.StatusAt(now) == LinkStatus.Open) CancelPaymentLink.Record(db, link, now, """{"reason":"booking_cancelled"}""");
            return;
        }
        if (!booking.IsFinal) link.ExpireNoLaterThan(booking.StartAt);
    }
}
