using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Paylink.Core.Bookings;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Merchants;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Payments;

namespace Paylink.Core.Metrics;

/// <summary>One row of the business metrics: a total, a day, a channel or a service. Definitions: docs/metrics.md.</summary>
public sealed record MetricsRow(
    string Key,
    int Requests, int RequestsPaid,
    int Links, int Sent, int Opened, int CheckoutStarted, int Paid,
    long PaidMinor, long RefundedMinor,
    double? ConversionRequestToPayment, double? ConversionSentToPaid,
    double? TimeToPaymentP50Seconds, double? TimeToPaymentP90Seconds,
    double? RefundShare);

/// <summary>Booking metrics of the period (bookings whose visit starts in it).</summary>
public sealed record BookingMetrics(int Bookings, int Prepaid, int VisitDone, int NoShow, double? PrepaymentShare, double? NoShowRate);

/// <summary>Booking metrics of one staff member's visits of the period (<c>none</c>: bookings without a staff member).</summary>
public sealed record StaffBookingMetrics(string Staff, int Bookings, int Prepaid, int VisitDone, int NoShow, double? PrepaymentShare, double? NoShowRate);

/// <summary><see cref="ByMethod"/>: card / sbp / other (how the paid links were paid; an unpaid link counts under the method of
/// its last checkout, <c>none</c> without one). <see cref="SbpFeeSavedMinor"/>: what the SBP payments of the period saved in
/// fees against the card rate (merchant's <see cref="PaymentMethodSettings"/>).</summary>
public sealed record MetricsReport(DateOnly From, DateOnly To, string Currency, MetricsRow Total, BookingMetrics Bookings,
    IReadOnlyList<MetricsRow> ByDay, IReadOnlyList<MetricsRow> ByChannel, IReadOnlyList<MetricsRow> ByService,
    IReadOnlyList<StaffBookingMetrics> BookingsByStaff, IReadOnlyList<MetricsRow> ByMethod, long SbpFeeSavedMinor);

/// <summary>
/// The owner's metrics computed from the event log: links created in the period (by the merchant's local
/// day) and what became of them, CRM requests of the period, bookings whose visit falls in it. Every
/// formula is in docs/metrics.md; this class is its only implementation (API, CSV and Prometheus read it).
/// </summary>
/// <remarks>
/// The database does the per-link work: one query returns one row per link of the period with the first time of
/// each funnel event (a grouped subquery over the events of those links), the data of its first <c>sent</c> and
/// last <c>checkout_started</c> event and its captured payment; requests and visits come with their "paid" flag
/// as an EXISTS. Those rows are streamed into per-dimension accumulators, so memory is O(days + channels +
/// services + paid links), not the period's links and events. The local day (IANA zone), the channel and
/// method (JSON data) and the service (the items' JSON) are read here rather than in SQL, which has neither
/// portable time zones nor one JSON dialect on both databases; the time-to-payment percentiles need the per-link
/// durations, kept as one double per paid link.
/// </remarks>
public sealed class ComputeMetrics(AppDbContext db, MerchantCache merchants, PaymentMethodSettingsStore methodSettings)
{
    public const int MaxDays = 366;
    public const int MaxLinks = 200_000;

    /// <summary>One row per link created in [@start, @end): first sent/opened/checkout/paid times, the first sent's and the
    /// last checkout's data (only when needed) and the captured payment. Identifiers quoted: valid on SQLite and PostgreSQL.</summary>
    private const string LinksSql = """
        SELECT l."CreatedAt", l."Items", ev.sent_at, ev.opened_at, ev.checkout_at, ev.paid_at,
          CASE WHEN ev.sent_at IS NOT NULL THEN (SELECT s."DataJson" FROM "LinkEvents" s
            WHERE s."LinkId" = l."Id" AND s."Type" = 'sent' ORDER BY s."At", s."Id" LIMIT 1) END AS sent_data,
          CASE WHEN ev.checkout_at IS NOT NULL AND p."Method" IS NULL THEN (SELECT c."DataJson" FROM "LinkEvents" c
            WHERE c."LinkId" = l."Id" AND c."Type" = 'checkout_started' ORDER BY c."At" DESC, c."Id" DESC LIMIT 1) END AS checkout_data,
          p."CapturedMinor", p."RefundedMinor", p."Method"
        FROM "PaymentLinks" l
        LEFT JOIN (
          SELECT e."LinkId",
            MIN(CASE WHEN e."Type" = 'sent' THEN e."At" END) AS sent_at,
            MIN(CASE WHEN e."Type" = 'opened' THEN e."At" END) AS opened_at,
            MIN(CASE WHEN e."Type" = 'checkout_started' THEN e."At" END) AS checkout_at,
            MIN(CASE WHEN e."Type" = 'paid' THEN e."At" END) AS paid_at
          FROM "PaymentLinks" k JOIN "LinkEvents" e ON e."LinkId" = k."Id"
          WHERE k."MerchantId" = @merchant AND k."CreatedAt" >= @start AND k."CreatedAt" < @end
            AND e."MerchantId" = @merchant AND e."Type" IN ('sent', 'opened', 'checkout_started', 'paid')
          GROUP BY e."LinkId") ev ON ev."LinkId" = l."Id"
        LEFT JOIN "Payments" p ON p."LinkId" = l."Id" AND p."MerchantId" = @merchant AND p."Status" = 'Captured'
        WHERE l."MerchantId" = @merchant AND l."CreatedAt" >= @start AND l."CreatedAt" < @end
        """;

    public async Task<Result<MetricsReport>> HandleAsync(string merchantId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        if (to < from) return Error.Validation("to", "to must not be before from.");
        if (to.DayNumber - from.DayNumber + 1 > MaxDays) return Error.Validation("to", $"The period may be at most {MaxDays} days.");
        var merchant = await merchants.GetAsync(merchantId, ct);
        if (merchant is null) return Error.NotFound($"Merchant '{merchantId}'");
        var zone = merchant.Zone;
        var start = LocalMidnight(from, zone);
        var end = LocalMidnight(to.AddDays(1), zone);
        var rates = await methodSettings.GetAsync(merchantId, ct);

        var total = new Acc();
        var days = new SortedDictionary<DateOnly, Acc>();
        for (var d = from; d <= to; d = d.AddDays(1)) days[d] = new Acc();
        var channels = new Dictionary<string, Acc>(StringComparer.Ordinal);
        var services = new Dictionary<string, Acc>(StringComparer.Ordinal);
        var methods = new Dictionary<string, Acc>(StringComparer.Ordinal);
        long sbpSaved = 0;
        var links = 0;
        var tooMany = false;

        await ReadLinksAsync(merchantId, start, end, f =>
        {
            if (++links > MaxLinks) { tooMany = true; return false; }
            if (f.Method == PayMethod.Sbp) sbpSaved += rates.SbpSaving(f.CapturedMinor);
            var day = DayOf(f.Created, zone);
            total.Add(f);
            if (days.TryGetValue(day, out var byDay)) byDay.Add(f);
            Of(channels, f.Channel).Add(f);
            Of(services, f.Service).Add(f);
            Of(methods, f.MethodKey).Add(f);
            return true;
        }, ct);
        if (tooMany) return Error.Validation("from", $"More than {MaxLinks} links in the period; choose a shorter one.");

        // Requests: CRM deals (every client request becomes one) created in the period; paid when their link is.
        var deals = db.Deals.IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.MerchantId == merchantId && d.CreatedAt >= start && d.CreatedAt < end)
            .Select(d => new
            {
                d.CreatedAt, d.ServiceId,
                Paid = d.LinkId != null && db.LinkEvents.Any(e => e.LinkId == d.LinkId && e.MerchantId == merchantId && e.Type == LinkEventTypes.Paid),
            });
        await foreach (var d in deals.AsAsyncEnumerable().WithCancellation(ct))
        {
            total.AddRequest(d.Paid);
            if (days.TryGetValue(DayOf(d.CreatedAt, zone), out var byDay)) byDay.AddRequest(d.Paid);
            Of(services, d.ServiceId ?? "none").AddRequest(d.Paid);
        }

        var visits = new VisitAcc();
        var byStaff = new SortedDictionary<string, VisitAcc>(StringComparer.Ordinal);
        var bookings = db.Bookings.IgnoreQueryFilters().AsNoTracking()
            .Where(b => b.MerchantId == merchantId && b.StartAt >= start && b.StartAt < end)
            .Select(b => new
            {
                b.Status, b.Staff,
                Paid = b.LinkId != null && db.LinkEvents.Any(e => e.LinkId == b.LinkId && e.MerchantId == merchantId && e.Type == LinkEventTypes.Paid),
            });
        await foreach (var b in bookings.AsAsyncEnumerable().WithCancellation(ct))
        {
            visits.Add(b.Status, b.Paid);
            var staff = string.IsNullOrWhiteSpace(b.Staff) ? "none" : b.Staff;
            if (!byStaff.TryGetValue(staff, out var s)) byStaff[staff] = s = new VisitAcc();
            s.Add(b.Status, b.Paid);
        }

        static IEnumerable<MetricsRow> Sorted(Dictionary<string, Acc> of) =>
            of.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value.Row(kv.Key));
        return new MetricsReport(from, to, merchant.DefaultCurrency,
            total.Row("total"),
            visits.Metrics(),
            days.Select(kv => kv.Value.Row(kv.Key.ToString("yyyy-MM-dd"))).ToList(),
            Sorted(channels).ToList(),
            Sorted(services).ToList(),
            byStaff.Select(kv => (kv.Key, M: kv.Value.Metrics()))
                .Select(x => new StaffBookingMetrics(x.Key, x.M.Bookings, x.M.Prepaid, x.M.VisitDone, x.M.NoShow, x.M.PrepaymentShare, x.M.NoShowRate)).ToList(),
            Sorted(methods).ToList(),
            sbpSaved);
    }

    /// <summary>Streams <see cref="LinksSql"/> as <see cref="LinkFact"/>s; <paramref name="each"/> returns false to stop.</summary>
    private async Task ReadLinksAsync(string merchantId, DateTimeOffset start, DateTimeOffset end, Func<LinkFact, bool> each, CancellationToken ct)
    {
        var conn = db.Database.GetDbConnection();
        var opened = conn.State != System.Data.ConnectionState.Open;
        if (opened) await conn.OpenAsync(ct);
        try
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = LinksSql;
            cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            void Param(string name, object value)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = name;
                p.Value = value;
                cmd.Parameters.Add(p);
            }
            Param("@merchant", merchantId);
            Param("@start", db.DbTime(start));
            Param("@end", db.DbTime(end));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            DateTimeOffset? Time(int i) => r.IsDBNull(i) ? null : db.ReadTime(r, i);
            string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            while (await r.ReadAsync(ct))
            {
                var method = r.IsDBNull(10) ? (PayMethod?)null : PayMethods.Parse(r.GetString(10)) ?? PayMethod.Other;
                var checkout = Time(4);
                var sent = Time(2);
                var fact = new LinkFact(db.ReadTime(r, 0), sent, sent is null ? "none" : ChannelOf(Text(6)), Time(3), checkout, Time(5),
                    FirstService(Text(1)), r.IsDBNull(8) ? 0 : r.GetInt64(8), r.IsDBNull(9) ? 0 : r.GetInt64(9), method,
                    method?.ToWire() ?? (checkout is null ? "none" : MethodOf(Text(7))));
                if (!each(fact)) return;
            }
        }
        finally
        {
            if (opened) await conn.CloseAsync();
        }
    }

    private static Acc Of(Dictionary<string, Acc> of, string key)
    {
        if (!of.TryGetValue(key, out var acc)) of[key] = acc = new Acc();
        return acc;
    }

    private static DateOnly DayOf(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    private readonly record struct LinkFact(DateTimeOffset Created, DateTimeOffset? Sent, string Channel, DateTimeOffset? Opened,
        DateTimeOffset? CheckoutStarted, DateTimeOffset? Paid, string Service, long CapturedMinor, long RefundedMinor, PayMethod? Method,
        string MethodKey);

    /// <summary>The figures of one row, added link by link (docs/metrics.md).</summary>
    private sealed class Acc
    {
        private int _requests, _requestsPaid, _links, _sent, _opened, _checkout, _paid, _sentPaid;
        private long _paidMinor, _refunded;
        private readonly List<double> _times = [];

        public void Add(in LinkFact f)
        {
            _links++;
            if (f.Sent is not null) _sent++;
            if (f.Opened is not null) _opened++;
            if (f.CheckoutStarted is not null) _checkout++;
            if (f.Paid is not { } paid) return;
            _paid++;
            if (f.Sent is not null) _sentPaid++;
            _paidMinor += f.CapturedMinor;
            _refunded += f.RefundedMinor;
            var seconds = (paid - (f.Sent ?? f.Created)).TotalSeconds;
            if (seconds >= 0) _times.Add(seconds);
        }

        public void AddRequest(bool paid)
        {
            _requests++;
            if (paid) _requestsPaid++;
        }

        public MetricsRow Row(string key)
        {
            _times.Sort();
            return new MetricsRow(key,
                _requests, _requestsPaid,
                _links, _sent, _opened, _checkout, _paid,
                _paidMinor, _refunded,
                Ratio(_requestsPaid, _requests), Ratio(_sentPaid, _sent),
                Percentile(_times, 0.5), Percentile(_times, 0.9),
                _paidMinor == 0 ? null : Math.Round((double)_refunded / _paidMinor, 4));
        }
    }

    private sealed class VisitAcc
    {
        private int _live, _prepaid, _done, _noShow;

        public void Add(BookingStatus status, bool paid)
        {
            if (status != BookingStatus.Cancelled)
            {
                _live++;
                if (paid) _prepaid++;
            }
            if (status == BookingStatus.VisitDone) _done++;
            if (status == BookingStatus.NoShow) _noShow++;
        }

        public BookingMetrics Metrics() => new(_live, _prepaid, _done, _noShow, Ratio(_prepaid, _live), Ratio(_noShow, _done + _noShow));
    }

    /// <summary>Nearest-rank percentile (the smallest value with at least q of the values at or below it).</summary>
    internal static double? Percentile(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static double? Ratio(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);

    /// <summary>The first catalog service among the items (by position) of the link's JSON items column, <c>none</c> if none.</summary>
    private static string FirstService(string? itemsJson)
    {
        if (itemsJson is null) return "none";
        using var doc = System.Text.Json.JsonDocument.Parse(itemsJson);
        string? best = null;
        var bestPosition = int.MaxValue;
        if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Array) return "none";
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            if (!item.TryGetProperty(nameof(LinkItem.ServiceId), out var s) || s.ValueKind != System.Text.Json.JsonValueKind.String) continue;
            var position = item.TryGetProperty(nameof(LinkItem.Position), out var p) && p.TryGetInt32(out var n) ? n : int.MaxValue;
            if (best is null || position < bestPosition) (best, bestPosition) = (s.GetString(), position);
        }
        return best ?? "none";
    }

    /// <summary>The <c>method</c> of a checkout_started event; events from before SBP have none and were card checkouts.</summary>
    private static string MethodOf(string? data)
    {
        if (data is null) return "card";
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(data);
            return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && doc.RootElement.TryGetProperty("method", out var m)
                && PayMethods.Parse(m.GetString()) is { } parsed ? parsed.ToWire() : "card";
        }
        catch (System.Text.Json.JsonException) { return "card"; }
    }

    private static string ChannelOf(string? data) => data is null ? "none" : LinkEvent.ChannelOf(data) ?? "unknown";

    private static DateTimeOffset LocalMidnight(DateOnly day, TimeZoneInfo zone) => DateFormat.LocalToUtc(day, TimeOnly.MinValue, zone);
}
