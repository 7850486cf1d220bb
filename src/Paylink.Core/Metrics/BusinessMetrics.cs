using System.Diagnostics.Metrics;
using Paylink.Core.Data;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Webhooks;

namespace Paylink.Core.Metrics;

/// <summary>
/// The business series for Prometheus (meter <c>Paylink.Business</c>), recorded as link events are written:
/// <c>paylink_link_events_total{merchant,type,channel}</c> (the funnel: created, sent, opened,
/// checkout_started, paid, expired, cancelled, refunded), <c>paylink_paid_amount_minor_total{merchant,currency}</c>
/// and <c>paylink_time_to_payment_seconds{merchant}</c> (paid − created). They count what this instance wrote
/// since it started, which is what Prometheus' <c>rate()</c>/<c>increase()</c> expect; the exact per-period
/// figures are <c>GET /api/v1/metrics</c> (docs/metrics.md). A save that fails after the reaction ran leaves
/// its events counted: the series are for trends and alerts, not for accounting.
/// </summary>
public sealed class BusinessMetrics : IDisposable
{
    public const string Name = "Paylink.Business";

    private static readonly HashSet<string> Funnel =
    [
        LinkEventTypes.Created, LinkEventTypes.Sent, LinkEventTypes.Opened, LinkEventTypes.CheckoutStarted, LinkEventTypes.Paid,
        LinkEventTypes.Expired, LinkEventTypes.Cancelled, LinkEventTypes.Refunded,
    ];

    private readonly Meter _meter = new(Name);
    private readonly Counter<long> _events;
    private readonly Counter<long> _paidAmount;
    private readonly Histogram<double> _timeToPayment;

    public BusinessMetrics()
    {
        _events = _meter.CreateCounter<long>("paylink.link.events", "{event}", "Payment-link events by type and channel.");
        _paidAmount = _meter.CreateCounter<long>("paylink.paid.amount", "{minor_unit}", "Amounts paid, in minor units of the currency.");
        _timeToPayment = _meter.CreateHistogram<double>("paylink.time_to_payment", "s", "Time from link creation to payment.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 86400, 3 * 86400] });
    }

    internal void Record(LinkEvent e, PaymentLink? link)
    {
        if (!Funnel.Contains(e.Type)) return;
        _events.Add(1, new("merchant", e.MerchantId), new("type", e.Type), new("channel", ChannelOf(e)));
        if (e.Type != LinkEventTypes.Paid || link is null) return;
        _paidAmount.Add(link.AmountMinor, new("merchant", e.MerchantId), new("currency", link.Currency));
        _timeToPayment.Record(Math.Max(0, (e.At - link.CreatedAt).TotalSeconds), new KeyValuePair<string, object?>("merchant", e.MerchantId));
    }

    private static string ChannelOf(LinkEvent e) =>
        e.Type == LinkEventTypes.Sent && e.DataJson is not null ? LinkEvent.ChannelOf(e.DataJson) ?? "" : "";

    public void Dispose() => _meter.Dispose();
}

/// <summary>Feeds <see cref="BusinessMetrics"/> from the link events of each save.</summary>
public sealed class BusinessMetricsReaction(BusinessMetrics metrics) : ILinkEventReaction
{
    public async ValueTask ReactAsync(AppDbContext db, IReadOnlyList<LinkEvent> added, bool sync, CancellationToken ct)
    {
        foreach (var e in added)
        {
            var link = e.Type == LinkEventTypes.Paid ? await WebhookEventsReaction.FindLinkAsync(db, e.LinkId, sync, ct) : null;
            metrics.Record(e, link);
        }
    }
}
