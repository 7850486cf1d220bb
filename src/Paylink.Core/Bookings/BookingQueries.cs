using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Merchants;

namespace Paylink.Core.Bookings;

/// <summary>A booking as the API shows it: UTC instants plus the same times in the merchant's zone.</summary>
public sealed record BookingView(string Id, string Status, string CustomerId, string ServiceId, string ServiceName, string? Staff,
    DateTimeOffset Start, DateTimeOffset End, string LocalStart, string LocalEnd, string TimeZone, long Price, string Currency,
    string? LinkId, DateTimeOffset CreatedAt, DateTimeOffset? ConfirmedAt, DateTimeOffset? ClosedAt)
{
    public static BookingView From(Booking b, TimeZoneInfo zone) => new(b.Id, b.Status.ToWire(), b.CustomerId, b.ServiceId, b.ServiceName, b.Staff,
        b.StartAt, b.EndAt, Local(b.StartAt, zone), Local(b.EndAt, zone), zone.Id, b.PriceMinor, b.Currency, b.LinkId, b.CreatedAt,
        b.ConfirmedAt, b.ClosedAt);

    private static string Local(DateTimeOffset utc, TimeZoneInfo zone) =>
        DateFormat.ToLocal(utc, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Reads the current merchant's bookings: one by id, or a time window filtered by status.</summary>
public sealed class ListBookings(AppDbContext db, MerchantCache merchants)
{
    public const int MaxItems = 500;

    public async Task<Result<IReadOnlyList<BookingView>>> HandleAsync(string merchantId, string? from, string? to, string? status, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        DateTimeOffset? f = null, t = null;
        if (from is not null)
        {
            if (!DateTimeOffset.TryParse(from, System.Globalization.CultureInfo.InvariantCulture, out var v)) errors.Add("from", "from must be an ISO 8601 date-time with offset.");
            else if (!DateFormat.IsAccepted(v)) errors.Add("from", DateFormat.OutOfRange("from"));
            else f = v.ToUniversalTime();
        }
        if (to is not null)
        {
            if (!DateTimeOffset.TryParse(to, System.Globalization.CultureInfo.InvariantCulture, out var v)) errors.Add("to", "to must be an ISO 8601 date-time with offset.");
            else if (!DateFormat.IsAccepted(v)) errors.Add("to", DateFormat.OutOfRange("to"));
            else t = v.ToUniversalTime();
        }
        BookingStatus? st = null;
        if (status is not null) { if (BookingStatusNames.TryParse(status, out var s)) st = s; else errors.Add("status", $"status must be one of {string.Join(", ", BookingStatusNames.All)}."); }
        if (f is not null && t is not null && t < f) errors.Add("to", "to must not be before from.");
        if (errors.Any) return errors.ToError();
        var q = db.Bookings.AsNoTracking().AsQueryable();
        if (f is { } ff) q = q.Where(b => b.EndAt > ff);
        if (t is { } tt) q = q.Where(b => b.StartAt < tt);
        if (st is { } sv) q = q.Where(b => b.Status == sv);
        var items = (await q.ToListAsync(ct)).OrderBy(b => b.StartAt).ThenBy(b => b.Id).Take(MaxItems).ToList();
        var zone = (await merchants.GetAsync(merchantId, ct))!.Zone;
        return items.Select(b => BookingView.From(b, zone)).ToList();
    }

    public async Task<Result<BookingView>> GetAsync(string merchantId, string id, CancellationToken ct)
    {
        var b = await db.Bookings.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (b is null) return Error.NotFound($"Booking '{id}'");
        return BookingView.From(b, (await merchants.GetAsync(merchantId, ct))!.Zone);
    }
}
