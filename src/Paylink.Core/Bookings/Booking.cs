using Paylink.Core.Common;

namespace Paylink.Core.Bookings;

/// <summary>pending → confirmed → visit_done | no_show; pending or confirmed → cancelled. The last three are final.</summary>
public enum BookingStatus { Pending, Confirmed, VisitDone, NoShow, Cancelled }

public static class BookingStatusNames
{
    public static string ToWire(this BookingStatus s) => s switch
    {
        BookingStatus.Pending => "pending",
        BookingStatus.Confirmed => "confirmed",
        BookingStatus.VisitDone => "visit_done",
        BookingStatus.NoShow => "no_show",
        BookingStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    public static readonly string[] All = ["pending", "confirmed", "visit_done", "no_show", "cancelled"];

    public static bool TryParse(string? s, out BookingStatus status)
    {
        status = s switch
        {
            "pending" => BookingStatus.Pending,
            "confirmed" => BookingStatus.Confirmed,
            "visit_done" => BookingStatus.VisitDone,
            "no_show" => BookingStatus.NoShow,
            "cancelled" => BookingStatus.Cancelled,
            _ => (BookingStatus)(-1),
        };
        return (int)status >= 0;
    }
}

/// <summary>
/// A customer's appointment for a catalog service. Times are stored in UTC and shown in the merchant's
/// time zone. Status changes only through the methods below; <see cref="Version"/> is an optimistic
/// concurrency token so a racing "paid" and "cancel" cannot both win.
/// </summary>
public sealed class Booking : IMerchantOwned
{
    private Booking() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string CustomerId { get; private set; } = "";
    public string ServiceId { get; private set; } = "";
    /// <summary>The service's name when booked (the catalog may be renamed later).</summary>
    public string ServiceName { get; private set; } = "";
    /// <summary>Who serves the visit (free text, e.g. "Анна"); null = the merchant's single resource.</summary>
    public string? Staff { get; private set; }
    public DateTimeOffset StartAt { get; private set; }
    public DateTimeOffset EndAt { get; private set; }
    public BookingStatus Status { get; private set; }
    public long PriceMinor { get; private set; }
    public string Currency { get; private set; } = "RUB";
    /// <summary>The prepayment link, when the booking asked for one.</summary>
    public string? LinkId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ConfirmedAt { get; private set; }
    /// <summary>When it reached visit_done, no_show or cancelled.</summary>
    public DateTimeOffset? ClosedAt { get; private set; }
    public int Version { get; private set; }

    public Money Price => new(PriceMinor, Currency);
    public bool IsFinal => Status is BookingStatus.VisitDone or BookingStatus.NoShow or BookingStatus.Cancelled;

    public static Booking Create(string merchantId, string customerId, string serviceId, string serviceName, string? staff,
        DateTimeOffset start, DateTimeOffset end, Money price, TimeProvider clock) => new()
        {
            Id = Ids.New("bkg", clock), MerchantId = merchantId, CustomerId = customerId, ServiceId = serviceId, ServiceName = serviceName,
            Staff = staff, StartAt = start.ToUniversalTime(), EndAt = end.ToUniversalTime(), Status = BookingStatus.Pending,
            PriceMinor = price.Minor, Currency = price.Currency, CreatedAt = clock.GetUtcNow(),
        };

    public bool Overlaps(DateTimeOffset start, DateTimeOffset end) => StartAt < end && EndAt > start;

    public void AttachLink(string linkId)
    {
        LinkId = linkId;
        Version++;
    }

    /// <summary>A new time for a pending or confirmed visit (the caller checked the slot).</summary>
    public Result<bool> Move(DateTimeOffset start, DateTimeOffset end)
    {
        if (IsFinal) return Error.Conflict("invalid_transition", $"A {Status.ToWire()} booking cannot be moved.");
        StartAt = start.ToUniversalTime();
        EndAt = end.ToUniversalTime();
        Version++;
        return true;
    }

    /// <summary>The customer moved in the customer reassignment of a contact merge.</summary>
    public void MoveToCustomer(string customerId)
    {
        CustomerId = customerId;
        Version++;
    }

    /// <summary>pending → confirmed (the prepayment arrived or the merchant confirmed). False when already confirmed.</summary>
    public Result<bool> Confirm(DateTimeOffset at)
    {
        if (Status == BookingStatus.Confirmed) return false;
        if (Status != BookingStatus.Pending) return Invalid("confirmed");
        Status = BookingStatus.Confirmed;
        ConfirmedAt = at;
        Version++;
        return true;
    }

    /// <summary>The visit took place. Idempotent: false when already done.</summary>
    public Result<bool> Complete(DateTimeOffset at) => Close(BookingStatus.VisitDone, at);

    /// <summary>The customer did not come. Idempotent: false when already marked.</summary>
    public Result<bool> MarkNoShow(DateTimeOffset at) => Close(BookingStatus.NoShow, at);

    /// <summary>Cancelled by the customer or the merchant. Idempotent: false when already cancelled.</summary>
    public Result<bool> Cancel(DateTimeOffset at) => Close(BookingStatus.Cancelled, at);

    private Result<bool> Close(BookingStatus target, DateTimeOffset at)
    {
        if (Status == target) return false;
        if (IsFinal) return Invalid(target.ToWire());
        Status = target;
        ClosedAt = at;
        Version++;
        return true;
    }

    private Error Invalid(string target) =>
        Error.Conflict("invalid_transition", $"A {Status.ToWire()} booking cannot become {target}.");
}
