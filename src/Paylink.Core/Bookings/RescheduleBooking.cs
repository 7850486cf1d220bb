using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Merchants;

namespace Paylink.Core.Bookings;

/// <summary>The one overlap rule for bookings: a live booking of the same staff member may not overlap.</summary>
public static class BookingSlots
{
    /// <summary>How far ahead a booking may start: a year and a half of diary is plenty, and a bound keeps
    /// start + duration (and every date shown from it) far from DateTimeOffset's end.</summary>
    public const int MaxDaysAhead = 550;

    /// <summary>
    /// Call inside the transaction that then writes the booking. SQLite runs one write transaction at a time
    /// (the write gate); on PostgreSQL a lock per staff member makes the check and the write one step for
    /// concurrent requests. Returns the 409 naming the clashing booking, or null when the slot is free.
    /// </summary>
    public static async Task<Error?> ClashAsync(AppDbContext db, string merchantId, string? staff, DateTimeOffset start, DateTimeOffset end,
        string? exceptBookingId, TimeZoneInfo zone, CancellationToken ct)
    {
        if (!db.IsSqlite)
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({merchantId + "|" + (staff ?? "")}))", ct);
        var clash = await db.Bookings.IgnoreQueryFilters().AsNoTracking()
            .Where(b => b.MerchantId == merchantId && b.Staff == staff && b.Id != exceptBookingId
                && b.Status != BookingStatus.Cancelled && b.StartAt < end && b.EndAt > start)
            .OrderBy(b => b.StartAt).FirstOrDefaultAsync(ct);
        return clash is null ? null : Error.Conflict("slot_taken",
            $"The slot overlaps booking '{clash.Id}' ({clash.ServiceName}, {DateFormat.DateTime(clash.StartAt, zone, "en")}–{DateFormat.ToLocal(clash.EndAt, zone):HH:mm}{(staff is null ? "" : ", " + staff)}).");
    }
}

/// <summary>
/// Moves a pending or confirmed booking to a new start (same duration, same staff), under the same overlap
/// rule as a new booking. The CRM gets the change; visit reminders of a confirmed booking are planned anew.
/// </summary>
public sealed class RescheduleBooking(AppDbContext db, MerchantCache merchants, BookingHooks hooks, TimeProvider clock)
{
    public async Task<Result<Booking>> HandleAsync(string bookingId, DateTimeOffset? newStart, CancellationToken ct)
    {
        if (newStart is null) return Error.Validation("start", "start is required (ISO 8601 with offset, e.g. 2026-11-20T15:00:00+03:00).");
        if (newStart.Value < clock.GetUtcNow()) return Error.Validation("start", "start must be in the future.");
        if (newStart.Value > clock.GetUtcNow().AddDays(BookingSlots.MaxDaysAhead))
            return Error.Validation("start", $"start must be within {BookingSlots.MaxDaysAhead} days from now.");
        var booking = await db.Bookings.FirstOrDefaultAsync(b => b.Id == bookingId, ct);
        if (booking is null) return Error.NotFound($"Booking '{bookingId}'");
        var merchant = await merchants.GetAsync(booking.MerchantId, ct) ?? throw new InvalidOperationException("The booking's merchant is missing.");
        var start = newStart.Value.ToUniversalTime();
        if (start == booking.StartAt) return booking;
        var end = start + (booking.EndAt - booking.StartAt);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await BookingSlots.ClashAsync(db, booking.MerchantId, booking.Staff, start, end, booking.Id, merchant.Zone, ct) is { } clash) return clash;
        var oldStart = booking.StartAt;
        var moved = booking.Move(start, end);
        if (!moved.IsSuccess) return moved.Error!;
        // Reminders of the old time go; the visit-reminders job plans the new ones for a confirmed visit.
        var stale = await db.Reminders.IgnoreQueryFilters()
            .Where(r => r.MerchantId == booking.MerchantId && r.Kind == Messaging.ReminderKinds.Visit && r.CustomerId == booking.CustomerId
                && r.VisitAt == oldStart && r.Status == Messaging.ReminderStatuses.Scheduled)
            .ToListAsync(ct);
        foreach (var r in stale) r.Cancel("booking rescheduled", clock.GetUtcNow());
        hooks.Moved(db, booking);
        await BookingPrepaymentLink.FollowAsync(db, booking, clock.GetUtcNow(), ct);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("concurrent_change", $"Booking '{bookingId}' changed at the same time; read it again and retry.");
        }
        await tx.CommitAsync(ct);
        return booking;
    }
}
