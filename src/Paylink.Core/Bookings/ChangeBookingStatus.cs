using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Core.Bookings;

public enum BookingAction { Confirm, Complete, NoShow, Cancel }

/// <summary>
/// Moves a booking along its machine (confirm, complete = visit_done, no-show, cancel) from the API or
/// the CRM stage. A repeat of the same change answers the booking as it is; an illegal one is a 409.
/// Completing a prepaid visit queues the 54-FZ closing receipt (<see cref="SettleBookingReceipt"/>).
/// </summary>
public sealed class ChangeBookingStatus(AppDbContext db, BookingHooks hooks, TimeProvider clock)
{
    public async Task<Result<Booking>> HandleAsync(string bookingId, BookingAction action, CancellationToken ct)
    {
        var booking = await db.Bookings.FirstOrDefaultAsync(b => b.Id == bookingId, ct);
        if (booking is null) return Error.NotFound($"Booking '{bookingId}'");
        var changed = Apply(booking, action, clock.GetUtcNow());
        if (!changed.IsSuccess) return changed.Error!;
        if (!changed.Value) return booking;
        hooks.StatusChanged(db, booking);
        await BookingPrepaymentLink.FollowAsync(db, booking, clock.GetUtcNow(), ct);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("concurrent_change", $"Booking '{bookingId}' changed at the same time; read it again and retry.");
        }
        return booking;
    }

    public static Result<bool> Apply(Booking booking, BookingAction action, DateTimeOffset now) => action switch
    {
        BookingAction.Confirm => booking.Confirm(now),
        BookingAction.Complete => booking.Complete(now),
        BookingAction.NoShow => booking.MarkNoShow(now),
        BookingAction.Cancel => booking.Cancel(now),
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };
}
