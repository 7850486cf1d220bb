using Microsoft.EntityFrameworkCore;
using Paylink.Core.Data;
using Paylink.Core.PaymentLinks;

namespace Paylink.Core.Bookings;

/// <summary>A paid (or held) prepayment link confirms its pending booking, in the same SaveChanges as the payment.</summary>
public sealed class ConfirmBookingOnPayment(BookingHooks hooks, TimeProvider clock) : ILinkEventReaction
{
    public async ValueTask ReactAsync(AppDbContext db, IReadOnlyList<LinkEvent> added, bool sync, CancellationToken ct)
    {
        foreach (var e in added)
        {
            if (e.Type is not (LinkEventTypes.Paid or LinkEventTypes.Authorized)) continue;
            var tracked = db.ChangeTracker.Entries<Booking>().FirstOrDefault(b => b.Entity.LinkId == e.LinkId)?.Entity;
            var q = db.Bookings.IgnoreQueryFilters().Where(b => b.LinkId == e.LinkId && b.MerchantId == e.MerchantId);
            var booking = tracked ?? (sync ? q.FirstOrDefault() : await q.FirstOrDefaultAsync(ct));
            if (booking is null || booking.Status != BookingStatus.Pending) continue;
            if (booking.Confirm(clock.GetUtcNow()) is { IsSuccess: true, Value: true }) hooks.StatusChanged(db, booking);
        }
    }
}
