using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Jobs;

namespace Paylink.Core.Webhooks;

/// <summary>Reads, deletes and rotates the current merchant's endpoints (merchant scope applies).</summary>
public sealed class ManageWebhookEndpoints(AppDbContext db, SecretProtector protector, TimeProvider clock)
{
    public const int MaxPage = 100;

    public Task<List<WebhookEndpoint>> ListAsync(CancellationToken ct) =>
        db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.Id).ToListAsync(ct);

    public async Task<Result<WebhookEndpoint>> GetAsync(string id, CancellationToken ct) =>
        await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct) is { } e ? e : Error.NotFound($"Webhook endpoint '{id}'");

    /// <summary>Deletes the endpoint with its deliveries; queued deliveries become no-ops.</summary>
    public async Task<Result<bool>> DeleteAsync(string id, CancellationToken ct)
    {
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (endpoint is null) return Error.NotFound($"Webhook endpoint '{id}'");
        db.WebhookEndpoints.Remove(endpoint);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Replaces the signing secret; deliveries from now on are signed with the new one.</summary>
    public async Task<Result<(WebhookEndpoint Endpoint, string Secret)>> RotateSecretAsync(string id, CancellationToken ct)
    {
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (endpoint is null) return Error.NotFound($"Webhook endpoint '{id}'");
        var secret = WebhookSignature.NewSecret();
        endpoint.RotateSecret(protector.Protect(secret), clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return (endpoint, secret);
    }

    /// <summary>An endpoint's deliveries, newest first, with the next attempt time of pending ones.</summary>
    public async Task<Result<(List<WebhookDeliveryView> Items, string? NextCursor)>> DeliveriesAsync(string endpointId, int? limit, string? cursor,
        CancellationToken ct)
    {
        if (limit is < 1 or > MaxPage) return Error.Validation("limit", $"limit must be between 1 and {MaxPage}.");
        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == endpointId, ct)) return Error.NotFound($"Webhook endpoint '{endpointId}'");
        var n = limit ?? 20;
        var q = db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == endpointId);
        if (!string.IsNullOrEmpty(cursor)) q = q.Where(d => string.Compare(d.Id, cursor) < 0);
        var page = await q.OrderByDescending(d => d.Id).Take(n + 1).ToListAsync(ct);
        var jobIds = page.Where(d => d.JobId != null).Select(d => d.JobId!.Value).ToList();
        var next = await db.Jobs.AsNoTracking().Where(j => jobIds.Contains(j.Id) && j.State == JobState.Pending)
            .Select(j => new { j.Id, j.RunAt }).ToDictionaryAsync(j => j.Id, j => j.RunAt, ct);
        var items = page.Take(n).Select(d => WebhookDeliveryView.From(d, d.JobId is { } j && next.TryGetValue(j, out var at) ? at : null)).ToList();
        return (items, page.Count > n ? items[^1].Id : null);
    }
}

/// <summary>Sends a delivery again (same webhook-id and body, fresh signature), whatever its status.</summary>
public sealed class RedeliverWebhook(AppDbContext db, IJobQueue jobs)
{
    public async Task<Result<WebhookDelivery>> HandleAsync(string deliveryId, CancellationToken ct)
    {
        var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == deliveryId, ct);
        if (delivery is null) return Error.NotFound($"Webhook delivery '{deliveryId}'");
        var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == delivery.EndpointId, ct);
        if (endpoint is not { Enabled: true })
            return Error.Conflict("endpoint_disabled", "The delivery's endpoint is disabled; register it again to receive events.");
        delivery.Redeliver();
        jobs.Enqueue(db, DeliverWebhook.JobType, new DeliverWebhook.Payload(delivery.Id));
        await db.SaveChangesAsync(ct);
        return delivery;
    }
}
