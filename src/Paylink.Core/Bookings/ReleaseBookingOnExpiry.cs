using Paylink.Core.Data;
using Paylink.Core.PaymentLinks;

namespace Paylink.Core.Bookings;

/// <summary>
/// A pending booking whose prepayment link expired unpaid before the visit is cancelled in the same SaveChanges,
/// so an unpaid booking does not hold the slot forever. The CRM deal and visit reminders follow through the
/// usual hooks. A link that expires after the visit started leaves the booking to the merchant (done / no-show).
/// </summary>
public sealed class ReleaseBookingOnExpiry(BookingHooks hooks, TimeProvider clock) : ILinkEventReaction
{
    public async ValueTask ReactAsync(AppDbContext db, IReadOnlyList<LinkEvent> added, bool sync, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var e in added)
        {
            if (e.Type != LinkEventTypes.Expired) continue;
            var booking = await ConfirmBookingOnPayment.OfLinkAsync(db, e, sync, ct);
            if (booking is null || booking.Status != BookingStatus.Pending || booking.StartAt <= now) continue;
            if (booking.Cancel(now) is { IsSuccess: true, Value: true }) hooks.StatusChanged(db, booking);
        }
    }
}
