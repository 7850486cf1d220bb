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
            var booking = await OfLinkAsync(db, e, sync, ct);
            if (booking is null || booking.Status != BookingStatus.Pending) continue;
            if (booking.Confirm(clock.GetUtcNow()) is { IsSuccess: true, Value: true }) hooks.StatusChanged(db, booking);
        }
    }

    /// <summary>The booking whose prepayment link the event is about (one this SaveChanges tracks first), or null.</summary>
    internal static async ValueTask<Booking?> OfLinkAsync(AppDbContext db, LinkEvent e, bool sync, CancellationToken ct)
    {
        var tracked = db.ChangeTracker.Entries<Booking>().FirstOrDefault(b => b.Entity.LinkId == e.LinkId)?.Entity;
        if (tracked is not null) return tracked;
        var q = db.Bookings.IgnoreQueryFilters().Where(b => b.LinkId == e.LinkId && b.MerchantId == e.MerchantId);
        return sync ? q.FirstOrDefault() : await q.FirstOrDefaultAsync(ct);
    }
}
