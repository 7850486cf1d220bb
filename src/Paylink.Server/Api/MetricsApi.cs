using System.Globalization;
using System.Text;
using Paylink.Core.Common;
using Paylink.Core.Metrics;
using Paylink.Core.Payments;

namespace Paylink.Server.Api;

/// <summary>GET /api/v1/metrics: the owner's business metrics of a period as JSON or CSV (docs/metrics.md).</summary>
public static class MetricsApi
{
    public static void MapMetricsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/metrics", async (string? from, string? to, string? format, HttpContext http, MerchantScope scope, ComputeMetrics metrics,
            CancellationToken ct) =>
        {
            var errors = new ValidationErrors();
            var f = ParseDay(from, "from", errors);
            var t = ParseDay(to, "to", errors);
            if (format is not (null or "json" or "csv")) errors.Add("format", "format must be json or csv.");
            if (errors.Any) return Problems.From(errors.ToError());
            var report = await metrics.HandleAsync(scope.MerchantId!, f!.Value, t!.Value, ct);
            if (!report.IsSuccess) return Problems.From(report.Error!);
            if (format != "csv") return Results.Json(report.Value, PaylinkJson.Output);
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"metrics_{f:yyyyMMdd}_{t:yyyyMMdd}.csv\"";
            return Results.Text(ToCsv(report.Value), "text/csv; charset=utf-8", new UTF8Encoding(false));
        }).WithTags("Metrics").ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).WithName("GetMetrics")
          .WithSummary("Conversion, time to payment, funnel, prepayment share, no-show rate and refund share of a period (local days, inclusive), in total and by day, channel and service; booking metrics in total and by staff member.");
    }

    /// <summary>A yyyy-MM-dd day (the merchant's local day); the API and the dashboard read periods with it.</summary>
    internal static DateOnly? ParseDay(string? s, string field, ValidationErrors errors)
    {
        if (s is null) { errors.Add(field, $"{field} is required (yyyy-MM-dd, a day in the merchant's time zone)."); return null; }
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            if (DateFormat.IsAccepted(d)) return d;
            errors.Add(field, DateFormat.OutOfRange(field));
            return null;
        }
        errors.Add(field, $"{field} must be a date yyyy-MM-dd.");
        return null;
    }

    /// <summary>One line per row: dimension (total/day/channel/service/method), key and the metrics; then the booking metrics, then per staff member.</summary>
    public static string ToCsv(MetricsReport r)
    {
        var sb = new StringBuilder("\uFEFF");
        sb.AppendLine("dimension;key;requests;requests_paid;conversion_request_to_payment;links;sent;opened;checkout_started;paid;conversion_sent_to_paid;time_to_payment_p50_s;time_to_payment_p90_s;paid_amount;refunded_amount;refund_share");
        void Row(string dim, MetricsRow m) => sb.AppendLine(string.Join(';',
            dim, ExportPayments.Cell(m.Key), m.Requests, m.RequestsPaid, N(m.ConversionRequestToPayment), m.Links, m.Sent, m.Opened, m.CheckoutStarted, m.Paid,
            N(m.ConversionSentToPaid), N(m.TimeToPaymentP50Seconds), N(m.TimeToPaymentP90Seconds),
            ExportPayments.Amount(m.PaidMinor), ExportPayments.Amount(m.RefundedMinor), N(m.RefundShare)));
        Row("total", r.Total);
        foreach (var m in r.ByDay) Row("day", m);
        foreach (var m in r.ByChannel) Row("channel", m);
        foreach (var m in r.ByService) Row("service", m);
        foreach (var m in r.ByMethod) Row("method", m);
        sb.AppendLine();
        sb.AppendLine("bookings;prepaid;visit_done;no_show;prepayment_share;no_show_rate");
        var b = r.Bookings;
        sb.AppendLine(string.Join(';', b.Bookings, b.Prepaid, b.VisitDone, b.NoShow, N(b.PrepaymentShare), N(b.NoShowRate)));
        sb.AppendLine();
        sb.AppendLine("staff;bookings;prepaid;visit_done;no_show;prepayment_share;no_show_rate");
        foreach (var s in r.BookingsByStaff)
            sb.AppendLine(string.Join(';', ExportPayments.Cell(s.Staff), s.Bookings, s.Prepaid, s.VisitDone, s.NoShow, N(s.PrepaymentShare), N(s.NoShowRate)));
        return sb.ToString();
    }

    // Decimal comma, as in the accounting export (spreadsheets in Russian locales read it as a number).
    private static string N(double? v) => v?.ToString("0.####", CultureInfo.InvariantCulture).Replace('.', ',') ?? "";
}
