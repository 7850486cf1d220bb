using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Payments;

namespace Paylink.Core.Webhooks;

/// <summary>
/// Emits merchant webhooks where link events are written: when a SaveChanges adds a
/// <see cref="LinkEvent"/> that has a webhook event (<see cref="WebhookEventTypes.ForLinkEvent"/>), one
/// <see cref="WebhookDelivery"/> and one <c>webhook.deliver</c> job per enabled, subscribed endpoint are
/// added to the same SaveChanges, so the event and its deliveries commit (or roll back) together. Every
/// writer of link events gets this without a call of its own.
/// </summary>
public sealed class WebhookEventsInterceptor(IJobQueue jobs, PublicUrls urls, TimeProvider clock) : SaveChangesInterceptor
{
    // A SaveChanges that failed may be called again on the same context: emit once per link event.
    private static readonly ConditionalWeakTable<LinkEvent, object> Emitted = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is AppDbContext db) EmitAsync(db, sync: true, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AppDbContext db) await EmitAsync(db, sync: false, cancellationToken);
        return result;
    }

    private async Task EmitAsync(AppDbContext db, bool sync, CancellationToken ct)
    {
        var events = db.ChangeTracker.Entries<LinkEvent>()
            .Where(e => e.State == EntityState.Added && WebhookEventTypes.ForLinkEvent(e.Entity.Type) is not null && !Emitted.TryGetValue(e.Entity, out _))
            .Select(e => e.Entity).ToList();
        if (events.Count == 0) return;
        var now = clock.GetUtcNow();
        foreach (var byMerchant in events.GroupBy(e => e.MerchantId))
        {
            var merchantId = byMerchant.Key;
            var q = db.WebhookEndpoints.IgnoreQueryFilters().AsNoTracking().Where(x => x.MerchantId == merchantId && x.Enabled);
            var endpoints = sync ? q.ToList() : await q.ToListAsync(ct);
            foreach (var linkEvent in byMerchant)
            {
                Emitted.AddOrUpdate(linkEvent, new object());
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

    private static async Task<PaymentLink?> FindLinkAsync(AppDbContext db, string linkId, bool sync, CancellationToken ct)
    {
        var tracked = db.ChangeTracker.Entries<PaymentLink>().FirstOrDefault(e => e.Entity.Id == linkId)?.Entity;
        if (tracked is not null) return tracked;
        var q = db.PaymentLinks.IgnoreQueryFilters().AsNoTracking().Where(l => l.Id == linkId);
        return sync ? q.FirstOrDefault() : await q.FirstOrDefaultAsync(ct);
    }
}

/// <summary>The body of every webhook: Standard Webhooks' recommended <c>type</c>, <c>timestamp</c>, <c>data</c>.</summary>
public sealed record WebhookPayload(string Id, string Type, DateTimeOffset Timestamp, LinkView Data);
