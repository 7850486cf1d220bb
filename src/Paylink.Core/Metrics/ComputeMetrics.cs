using Microsoft.EntityFrameworkCore;
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
public sealed class ComputeMetrics(AppDbContext db, MerchantCache merchants, PaymentMethodSettingsStore methodSettings)
{
    public const int MaxDays = 366;
    public const int MaxLinks = 200_000;

    private static readonly string[] FunnelEvents = [LinkEventTypes.Sent, LinkEventTypes.Opened, LinkEventTypes.CheckoutStarted, LinkEventTypes.Paid];

    public async Task<Result<MetricsReport>> HandleAsync(string merchantId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        if (to < from) return Error.Validation("to", "to must not be before from.");
        if (to.DayNumber - from.DayNumber + 1 > MaxDays) return Error.Validation("to", $"The period may be at most {MaxDays} days.");
        var merchant = await merchants.GetAsync(merchantId, ct);
        if (merchant is null) return Error.NotFound($"Merchant '{merchantId}'");
        var zone = merchant.Zone;
        var start = LocalMidnight(from, zone);
        var end = LocalMidnight(to.AddDays(1), zone);

        var links = await db.PaymentLinks.IgnoreQueryFilters().AsNoTracking()
            .Where(l => l.MerchantId == merchantId && l.CreatedAt >= start && l.CreatedAt < end)
            .Select(l => new { l.Id, l.CreatedAt, l.Items, l.Currency })
            .Take(MaxLinks + 1).ToListAsync(ct);
        if (links.Count > MaxLinks) return Error.Validation("from", $"More than {MaxLinks} links in the period; choose a shorter one.");
        var ids = links.Select(l => l.Id).ToList();
        var events = new List<(long Id, string LinkId, string Type, DateTimeOffset At, string? Data)>();
        foreach (var chunk in ids.Chunk(1000))
        {
            var part = await db.LinkEvents.IgnoreQueryFilters().AsNoTracking()
                .Where(e => e.MerchantId == merchantId && chunk.Contains(e.LinkId) && FunnelEvents.Contains(e.Type))
                .Select(e => new { e.Id, e.LinkId, e.Type, e.At, e.DataJson }).ToListAsync(ct);
            events.AddRange(part.Select(e => (e.Id, e.LinkId, e.Type, e.At, e.DataJson)));
        }
        var payments = new List<(string LinkId, long Captured, long Refunded, PayMethod Method)>();
        foreach (var chunk in ids.Chunk(1000))
        {
            var part = await db.Payments.IgnoreQueryFilters().AsNoTracking()
                .Where(p => p.MerchantId == merchantId && chunk.Contains(p.LinkId) && p.Status == PaymentStatus.Captured)
                .Select(p => new { p.LinkId, p.CapturedMinor, p.RefundedMinor, p.Method }).ToListAsync(ct);
            payments.AddRange(part.Select(p => (p.LinkId, p.CapturedMinor, p.RefundedMinor, p.Method)));
        }
        var byLinkEvents = events.GroupBy(e => e.LinkId).ToDictionary(g => g.Key, g => g.ToList());
        // One payment per link (unique index).
        var byLinkPay = payments.GroupBy(p => p.LinkId).ToDictionary(g => g.Key,
            g => (Captured: g.Sum(x => x.Captured), Refunded: g.Sum(x => x.Refunded), Method: (PayMethod?)g.First().Method));

        var facts = links.Select(l =>
        {
            var ev = byLinkEvents.GetValueOrDefault(l.Id) ?? [];
            DateTimeOffset? First(string type) => ev.Where(e => e.Type == type).Select(e => (DateTimeOffset?)e.At).Min();
            // Two sends at one instant: the one recorded first (event ids grow), so the answer never depends on row order.
            var sentEvent = ev.Where(e => e.Type == LinkEventTypes.Sent).OrderBy(e => e.At).ThenBy(e => e.Id).FirstOrDefault();
            var pay = byLinkPay.GetValueOrDefault(l.Id);
            var lastCheckout = ev.Where(e => e.Type == LinkEventTypes.CheckoutStarted).OrderBy(e => e.At).ThenBy(e => e.Id).LastOrDefault();
            var method = pay.Method?.ToWire() ?? (lastCheckout.LinkId is null ? "none" : MethodOf(lastCheckout.Data));
            return new LinkFact(
                DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(l.CreatedAt, zone).DateTime), l.CreatedAt,
                sentEvent.LinkId is null ? null : sentEvent.At, ChannelOf(sentEvent.Data),
                First(LinkEventTypes.Opened), First(LinkEventTypes.CheckoutStarted), First(LinkEventTypes.Paid),
                l.Items.OrderBy(i => i.Position).Select(i => i.ServiceId).FirstOrDefault(s => s is not null) ?? "none",
                pay.Captured, pay.Refunded, method);
        }).ToList();

        // Requests: CRM deals (every client request becomes one) created in the period; paid when their link is.
        var deals = await db.Deals.IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.MerchantId == merchantId && d.CreatedAt >= start && d.CreatedAt < end)
            .Select(d => new { d.CreatedAt, d.LinkId, d.ServiceId }).ToListAsync(ct);
        var paidDealLinks = await PaidLinksAsync(merchantId, deals.Where(d => d.LinkId != null).Select(d => d.LinkId!), ct);
        var requests = deals.Select(d => new RequestFact(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(d.CreatedAt, zone).DateTime),
            d.ServiceId ?? "none", d.LinkId is not null && paidDealLinks.Contains(d.LinkId))).ToList();

        var bookings = await db.Bookings.IgnoreQueryFilters().AsNoTracking()
            .Where(b => b.MerchantId == merchantId && b.StartAt >= start && b.StartAt < end)
            .Select(b => new { b.Status, b.LinkId, b.Staff }).ToListAsync(ct);
        var paidBookingLinks = await PaidLinksAsync(merchantId, bookings.Where(b => b.LinkId != null).Select(b => b.LinkId!), ct);
        BookingMetrics Visits(IEnumerable<(BookingStatus Status, string? LinkId)> of)
        {
            var all = of.ToList();
            var live = all.Where(b => b.Status != BookingStatus.Cancelled).ToList();
            var prepaid = live.Count(b => b.LinkId is not null && paidBookingLinks.Contains(b.LinkId));
            var done = all.Count(b => b.Status == BookingStatus.VisitDone);
            var noShow = all.Count(b => b.Status == BookingStatus.NoShow);
            return new BookingMetrics(live.Count, prepaid, done, noShow, Ratio(prepaid, live.Count), Ratio(noShow, done + noShow));
        }
        var bookingMetrics = Visits(bookings.Select(b => (b.Status, b.LinkId)));
        var byStaff = bookings.GroupBy(b => string.IsNullOrWhiteSpace(b.Staff) ? "none" : b.Staff).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, M: Visits(g.Select(b => (b.Status, b.LinkId)))))
            .Select(x => new StaffBookingMetrics(x.Key, x.M.Bookings, x.M.Prepaid, x.M.VisitDone, x.M.NoShow, x.M.PrepaymentShare, x.M.NoShowRate)).ToList();

        var days = Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(i => from.AddDays(i)).ToList();
        var rates = await methodSettings.GetAsync(merchantId, ct);
        var sbpSaved = payments.Where(p => p.Method == PayMethod.Sbp).Sum(p => rates.SbpSaving(p.Captured));
        return new MetricsReport(from, to, merchant.DefaultCurrency,
            Row("total", facts, requests),
            bookingMetrics,
            days.Select(d => Row(d.ToString("yyyy-MM-dd"), facts.Where(f => f.Day == d), requests.Where(r => r.Day == d))).ToList(),
            facts.GroupBy(f => f.Channel).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Row(g.Key, g, [])).ToList(),
            facts.Select(f => f.Service).Concat(requests.Select(r => r.Service)).Distinct().Order(StringComparer.Ordinal)
                .Select(s => Row(s, facts.Where(f => f.Service == s), requests.Where(r => r.Service == s))).ToList(),
            byStaff,
            facts.GroupBy(f => f.Method).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Row(g.Key, g, [])).ToList(),
            sbpSaved);
    }

    /// <summary>Which of these links have a <c>paid</c> event.</summary>
    private async Task<HashSet<string>> PaidLinksAsync(string merchantId, IEnumerable<string> linkIds, CancellationToken ct)
    {
        var paid = new HashSet<string>();
        foreach (var chunk in linkIds.Distinct().Chunk(1000))
            paid.UnionWith(await db.LinkEvents.IgnoreQueryFilters().AsNoTracking()
                .Where(e => e.MerchantId == merchantId && chunk.Contains(e.LinkId) && e.Type == LinkEventTypes.Paid).Select(e => e.LinkId).ToListAsync(ct));
        return paid;
    }

    private sealed record LinkFact(DateOnly Day, DateTimeOffset Created, DateTimeOffset? Sent, string Channel, DateTimeOffset? Opened,
        DateTimeOffset? CheckoutStarted, DateTimeOffset? Paid, string Service, long CapturedMinor, long RefundedMinor, string Method);

    private sealed record RequestFact(DateOnly Day, string Service, bool Paid);

    private static MetricsRow Row(string key, IEnumerable<LinkFact> linkFacts, IEnumerable<RequestFact> requestFacts)
    {
        var f = linkFacts.ToList();
        var r = requestFacts.ToList();
        var sent = f.Where(x => x.Sent is not null).ToList();
        var paid = f.Where(x => x.Paid is not null).ToList();
        var times = paid.Select(x => (x.Paid!.Value - (x.Sent ?? x.Created)).TotalSeconds).Where(s => s >= 0).Order().ToList();
        var paidMinor = paid.Sum(x => x.CapturedMinor);
        var refunded = paid.Sum(x => x.RefundedMinor);
        return new MetricsRow(key,
            r.Count, r.Count(x => x.Paid),
            f.Count, sent.Count, f.Count(x => x.Opened is not null), f.Count(x => x.CheckoutStarted is not null), paid.Count,
            paidMinor, refunded,
            Ratio(r.Count(x => x.Paid), r.Count), Ratio(sent.Count(x => x.Paid is not null), sent.Count),
            Percentile(times, 0.5), Percentile(times, 0.9),
            paidMinor == 0 ? null : Math.Round((double)refunded / paidMinor, 4));
    }

    /// <summary>Nearest-rank percentile (the smallest value with at least q of the values at or below it).</summary>
    internal static double? Percentile(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static double? Ratio(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);

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
