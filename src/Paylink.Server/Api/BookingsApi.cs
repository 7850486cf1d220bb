using Paylink.Core.Bookings;
using Paylink.Core.Common;
using Paylink.Core.Merchants;

namespace Paylink.Server.Api;

/// <summary>/api/v1/bookings: book a catalog service (optionally with a prepayment link), list, get, and move it along its machine.</summary>
public static class BookingsApi
{
    public static void MapBookingsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/bookings").WithTags("Bookings");

        g.MapPost("", async (HttpContext http, MerchantScope scope, CreateBooking handler, MerchantCache merchants, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<CreateBookingRequest>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            var created = await handler.HandleAsync(scope.MerchantId!, body!, ct);
            if (!created.IsSuccess) return Problems.From(created.Error!);
            var zone = (await merchants.GetAsync(scope.MerchantId!, ct))!.Zone;
            http.Response.Headers.Location = "/api/v1/bookings/" + created.Value.Id;
            return Results.Json(BookingView.From(created.Value, zone), PaylinkJson.Output, statusCode: StatusCodes.Status201Created);
        }).Produces<BookingView>(StatusCodes.Status201Created).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
          .ProducesProblem(StatusCodes.Status409Conflict).WithName("CreateBooking")
          .WithSummary("Book a service: {customer|customerId, serviceId, start, staff?, prepayment?}. 409 when the slot overlaps a booking of the same staff.");

        g.MapGet("", async (string? from, string? to, string? status, MerchantScope scope, ListBookings handler, CancellationToken ct) =>
                (await handler.HandleAsync(scope.MerchantId!, from, to, status, ct)).ToHttp(items => Results.Json(new { items }, PaylinkJson.Output)))
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).WithName("ListBookings")
            .WithSummary("Bookings overlapping [from, to), optionally of one status, by start time.");

        g.MapGet("/{id}", async (string id, MerchantScope scope, ListBookings handler, CancellationToken ct) =>
                (await handler.GetAsync(scope.MerchantId!, id, ct)).ToHttp(v => Results.Json(v, PaylinkJson.Output)))
            .Produces<BookingView>().ProducesProblem(StatusCodes.Status404NotFound).WithName("GetBooking");

        Action(g, "confirm", BookingAction.Confirm, "Confirm a pending booking (a paid prepayment link does it by itself).");
        Action(g, "complete", BookingAction.Complete, "The visit took place (visit_done); a prepaid visit then gets its 54-FZ closing receipt.");
        Action(g, "no-show", BookingAction.NoShow, "The customer did not come (no_show).");
        Action(g, "cancel", BookingAction.Cancel, "Cancel the booking; the slot becomes free.");
    }

    private static void Action(RouteGroupBuilder g, string verb, BookingAction action, string summary) =>
        g.MapPost("/{id}/" + verb, async (string id, MerchantScope scope, ChangeBookingStatus handler, MerchantCache merchants, CancellationToken ct) =>
            {
                var r = await handler.HandleAsync(id, action, ct);
                if (!r.IsSuccess) return Problems.From(r.Error!);
                var zone = (await merchants.GetAsync(scope.MerchantId!, ct))!.Zone;
                return Results.Json(BookingView.From(r.Value, zone), PaylinkJson.Output);
            }).Produces<BookingView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName(verb switch { "no-show" => "NoShowBooking", _ => char.ToUpperInvariant(verb[0]) + verb[1..] + "Booking" }).WithSummary(summary);
}
