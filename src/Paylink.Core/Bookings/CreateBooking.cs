using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Customers;
using Paylink.Core.Data;
using Paylink.Core.Merchants;
using Paylink.Core.PaymentLinks;

namespace Paylink.Core.Bookings;

public sealed record BookingCustomerInput(string? Name = null, string? Phone = null, string? Email = null);

/// <summary>Ask for a prepayment link together with the booking. <c>amount</c> defaults to the full price.</summary>
public sealed record PrepaymentInput(long? Amount = null, string? Gateway = null, DateTimeOffset? ExpiresAt = null);

public sealed record CreateBookingRequest(
    BookingCustomerInput? Customer = null,
    string? CustomerId = null,
    string? ServiceId = null,
    DateTimeOffset? Start = null,
    string? Staff = null,
    PrepaymentInput? Prepayment = null);

/// <summary>
/// Books a catalog service for a customer: the duration and price come from the catalog, the slot must
/// not overlap another live booking of the same staff member (409 naming it). With <c>prepayment</c> the
/// booking and its payment link are created together (the link's order id is the booking id, so it is
/// one order); the booking stays pending until the link is paid (<see cref="ConfirmBookingOnPayment"/>).
/// </summary>
public sealed class CreateBooking(AppDbContext db, MerchantCache merchants, CreatePaymentLink createLink, TimeProvider clock,
    BookingHooks hooks)
{
    public const int MaxStaff = 100;

    public async Task<Result<Booking>> HandleAsync(string merchantId, CreateBookingRequest r, CancellationToken ct)
    {
        var merchant = await merchants.GetAsync(merchantId, ct);
        if (merchant is null) return Error.NotFound($"Merchant '{merchantId}'");
        var errors = new ValidationErrors();
        var now = clock.GetUtcNow();

        if (r.Customer is not null && r.CustomerId is not null) errors.Add("customer", "Give either customer or customerId, not both.");
        else if (r.Customer is null && r.CustomerId is null) errors.Add("customer", "customer {name, phone, email} or customerId is required.");
        string? name = null, phone = null, email = null;
        if (r.Customer is { } c)
        {
            name = c.Name?.Trim();
            if (name is { Length: > 200 }) errors.Add("customer.name", "customer.name must be at most 200 characters.");
            if (!string.IsNullOrWhiteSpace(c.Phone) && (phone = ContactFormats.NormalizePhone(c.Phone)) is null)
                errors.Add("customer.phone", "customer.phone is not a valid phone number (E.164, e.g. +79161234567).");
            email = string.IsNullOrWhiteSpace(c.Email) ? null : c.Email.Trim();
            if (email is not null && !ContactFormats.IsValidEmail(email)) errors.Add("customer.email", "customer.email is not a valid e-mail address.");
            if (string.IsNullOrWhiteSpace(c.Phone) && email is null) errors.Add("customer", "customer.phone or customer.email is required.");
        }
        if (string.IsNullOrWhiteSpace(r.ServiceId)) errors.Add("serviceId", "serviceId is required (a catalog service id).");
        if (r.Start is null) errors.Add("start", "start is required (ISO 8601 with offset, e.g. 2026-11-20T15:00:00+03:00).");
        else if (r.Start.Value < now) errors.Add("start", "start must be in the future.");
        else if (r.Start.Value > now.AddDays(BookingSlots.MaxDaysAhead)) errors.Add("start", $"start must be within {BookingSlots.MaxDaysAhead} days from now.");
        var staff = string.IsNullOrWhiteSpace(r.Staff) ? null : r.Staff.Trim();
        if (staff is { Length: > MaxStaff }) errors.Add("staff", $"staff must be at most {MaxStaff} characters.");
        if (errors.Any) return errors.ToError();

        var service = await db.CatalogServices.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(s => s.MerchantId == merchantId && s.Id == r.ServiceId, ct);
        if (service is null) return Error.Validation("serviceId", $"Service '{r.ServiceId}' is not in the catalog.");
        if (service.DurationMinutes is not { } minutes)
            return Error.Validation("serviceId", $"Service '{service.Id}' has no durationMinutes in the catalog; set it to book the service.");
        if (r.Prepayment is { Amount: { } pre } && (pre <= 0 || pre > service.PriceMinor))
            return Error.Validation("prepayment.amount", $"prepayment.amount must be between 1 and the service price {service.PriceMinor}.");
        if (r.Prepayment is not null && service.PriceMinor == 0)
            return Error.Validation("prepayment", "The service is free; there is nothing to prepay.");

        var start = r.Start!.Value.ToUniversalTime();
        var end = start.AddMinutes(minutes);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await BookingSlots.ClashAsync(db, merchantId, staff, start, end, null, merchant.Zone, ct) is { } clash) return clash;

        Customer customer;
        if (r.CustomerId is not null)
        {
            var found = await db.Customers.IgnoreQueryFilters().FirstOrDefaultAsync(x => x.MerchantId == merchantId && x.Id == r.CustomerId, ct);
            if (found is null) return Error.Validation("customerId", $"Customer '{r.CustomerId}' was not found.");
            customer = await CustomerDirectory.CurrentAsync(db, found, ct);
        }
        else customer = await CustomerDirectory.FindOrCreateAsync(db, merchantId, string.IsNullOrEmpty(name) ? null : name, phone, email, clock, ct);

        var booking = Booking.Create(merchantId, customer.Id, service.Id, service.Name, staff, start, end, service.Price, clock);
        db.Bookings.Add(booking);
        await db.SaveChangesAsync(ct);

        if (r.Prepayment is { } p)
        {
            var amount = p.Amount ?? service.PriceMinor;
            // A prepayment is for before the visit: the link expires no later than the visit starts, whatever was asked.
            var expires = (p.ExpiresAt ?? now.AddMinutes(merchant.DefaultLinkLifetimeMinutes)).ToUniversalTime();
            if (expires > start) expires = start;
            var link = await createLink.HandleAsync(merchantId, new CreatePaymentLinkRequest(
                Amount: amount, Currency: service.Currency,
                Description: $"{service.Name}, {DateFormat.DateTime(start, merchant.Zone)}",
                Customer: new CustomerInput(customer.Name, customer.Phone, customer.Email),
                Items: [new LinkItemInput(service.Name, 1, amount, service.Id)],
                ExpiresAt: expires, OrderId: booking.Id, Gateway: p.Gateway,
                Metadata: new Dictionary<string, string> { ["bookingId"] = booking.Id }), ct, customer.Id);
            if (!link.IsSuccess) return Prefixed(link.Error!);
            booking.AttachLink(link.Value.Id);
        }
        hooks.Created(db, booking);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return booking;
    }

    /// <summary>Errors of the link request are the prepayment's: "gateway" → "prepayment.gateway".</summary>
    private static Error Prefixed(Error e) => e.Fields is null ? e
        : Error.Validation(e.Fields.ToDictionary(f => f.Key is "customer" or "customer.phone" or "customer.email" ? f.Key : "prepayment." + f.Key, f => f.Value));
}
