using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Payments;

namespace Paylink.Core.Webhooks;

/// <summary>
/// Emits merchant webhooks where link events are written: for each added <see cref="LinkEvent"/> that
/// has a webhook event (<see cref="WebhookEventTypes.ForLinkEvent"/>), one <see cref="WebhookDelivery"/>
/// and one <c>webhook.deliver</c> job per enabled, subscribed endpoint join the same SaveChanges, so the
/// event and its deliveries commit (or roll back) together.
/// </summary>
public sealed class WebhookEventsReaction(IJobQueue jobs, PublicUrls urls, TimeProvider clock) : ILinkEventReaction
{
    // Compiled: every created link asks (EF's query cache lookup cost about as much as the query).
    private static readonly CompiledPerModel<Func<AppDbContext, string, IEnumerable<WebhookEndpoint>>> EndpointsOfQuery = new(() => EF.CompileQuery(
        (AppDbContext db, string merchantId) => db.WebhookEndpoints.IgnoreQueryFilters().AsNoTracking().Where(x => x.MerchantId == merchantId && x.Enabled)));

    private static readonly CompiledPerModel<Func<AppDbContext, string, IAsyncEnumerable<WebhookEndpoint>>> EndpointsOfAsyncQuery = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, string merchantId) => db.WebhookEndpoints.IgnoreQueryFilters().AsNoTracking().Where(x => x.MerchantId == merchantId && x.Enabled)));

    private static IEnumerable<WebhookEndpoint> EndpointsOf(AppDbContext db, string merchantId) => EndpointsOfQuery.For(db)(db, merchantId);

    private static async Task<List<WebhookEndpoint>> EndpointsOfAsync(AppDbContext db, string merchantId, CancellationToken ct)
    {
        var list = new List<WebhookEndpoint>();
        await foreach (var e in EndpointsOfAsyncQuery.For(db)(db, merchantId).WithCancellation(ct)) list.Add(e);
        return list;
    }

    public async ValueTask ReactAsync(AppDbContext db, IReadOnlyList<LinkEvent> added, bool sync, CancellationToken ct)
    {
        var events = added.Where(e => WebhookEventTypes.ForLinkEvent(e.Type) is not null).ToList();
        if (events.Count == 0) return;
        var now = clock.GetUtcNow();
        foreach (var byMerchant in events.GroupBy(e => e.MerchantId))
        {
            var merchantId = byMerchant.Key;
            var endpoints = sync ? EndpointsOf(db, merchantId).ToList() : await EndpointsOfAsync(db, merchantId, ct);
            foreach (var linkEvent in byMerchant)
            {
                var type = WebhookEventTypes.ForLinkEvent(linkEvent.Type)!;
                var subscribed = endpoints.Where(x => x.Subscribes(type)).ToList();
                if (subscribed.Count == 0) continue;
                var link = await FindLinkAsync(db, linkEvent.LinkId, sync, ct);
                if (link is null) continue;
                var payments = db.ChangeTracker.Entries<Payment>().Where(p => p.Entity.LinkId == link.Id).Select(p => p.Entity).ToList();
                var eventId = Ids.New("evt", clock);
                var body = JsonSerializer.Serialize(new WebhookPayload(eventId, type, now, LinkView.From(link, urls, now, payments)), PaylinkJson.Output);
                foreach (var endpoint in subscribed)
                {
                    var delivery = WebhookDelivery.Create(merchantId, endpoint.Id, type, eventId, body, clock);
                    db.WebhookDeliveries.Add(delivery);
                    jobs.Enqueue(db, DeliverWebhook.JobType, new DeliverWebhook.Payload(delivery.Id));
                }
            }
        }
    }

    /// <summary>The link as this context sees it: the tracked (possibly just changed) instance first.</summary>
    public static async Task<PaymentLink?> FindLinkAsync(AppDbContext db, string linkId, bool sync, CancellationToken ct)
    {
        var tracked = TrackedLink(db, linkId);
        if (tracked is not null) return tracked;
        var q = db.PaymentLinks.IgnoreQueryFilters().AsNoTracking().Where(l => l.Id == linkId);
        return sync ? q.FirstOrDefault() : await q.FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// The tracked link with this id: an identity-map lookup, without the DetectChanges that
    /// <c>ChangeTracker.Entries</c> runs first. That scan, once per event, made a group commit's reactions
    /// quadratic in its size; links are never reached through navigations, so detecting changes cannot add one.
    /// </summary>
    private static PaymentLink? TrackedLink(AppDbContext db, string linkId)
    {
        var auto = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try { return db.PaymentLinks.Local.FindEntry(linkId)?.Entity; }
        finally { db.ChangeTracker.AutoDetectChangesEnabled = auto; }
    }
}

/// <summary>The body of every webhook: Standard Webhooks' recommended <c>type</c>, <c>timestamp</c>, <c>data</c>.</summary>
public sealed record WebhookPayload(string Id, string Type, DateTimeOffset Timestamp, LinkView Data);
