using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Payments;

namespace Paylink.Core.Bookings;

/// <summary>
/// Job <c>booking.settle</c>: issues the 54-FZ closing receipt (settlement of prepayment) for a visit that
/// was done, through <see cref="SettleLink"/> (idempotent: a settled link answers as it is, and the
/// gateway operation id is derived from the payment). A gateway outage retries; a link that needs no
/// closing receipt (receipts off, full_payment, unpaid, refunded) ends the job with a log line.
/// </summary>
public sealed partial class SettleBookingReceipt(AppDbContext db, SettleLink settle, ILogger<SettleBookingReceipt> log) : IJobHandler
{
    public const string JobType = "booking.settle";
    public static readonly JobRetryPolicy Policy = new(12, TimeSpan.FromSeconds(30), TimeSpan.FromHours(2));

    public sealed record Payload(string BookingId);

    public async Task<JobResult> HandleAsync(JobContext job, CancellationToken ct)
    {
        var p = job.Read<Payload>();
        var booking = await db.Bookings.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(b => b.Id == p.BookingId, ct);
        if (booking?.LinkId is null || booking.Status != BookingStatus.VisitDone) return JobResult.Done;
        var link = await db.PaymentLinks.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(l => l.Id == booking.LinkId, ct);
        if (link is null || link.PaidAt is null) { NotPrepaid(log, booking.Id); return JobResult.Done; }
        var result = await settle.HandleAsync(link.Id, ct);
        if (result.IsSuccess) return JobResult.Done;
        var e = result.Error!;
        if (e.Kind == ErrorKind.ProviderUnavailable) return JobResult.Retry(e.Message);
        if (e.Kind == ErrorKind.Conflict && e.Code is "receipts_off" or "not_prepaid" or "not_settleable")
        {
            NoClosingReceipt(log, booking.Id, e.Code);
            return JobResult.Done;
        }
        return JobResult.Fail($"{e.Code}: {e.Message}");
    }

    [LoggerMessage(LogLevel.Information, "Booking {BookingId} was not prepaid through a paid link; no closing receipt")]
    private static partial void NotPrepaid(ILogger logger, string bookingId);

    [LoggerMessage(LogLevel.Information, "Booking {BookingId} needs no closing receipt ({Reason})")]
    private static partial void NoClosingReceipt(ILogger logger, string bookingId, string reason);
}
