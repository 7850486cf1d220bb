using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paylink.Core.Data;
using Paylink.Core.Jobs;

namespace Paylink.Core.PaymentLinks;

/// <summary>
/// Periodic task <c>links.expire</c>: records the expiry of open links whose time has passed (status,
/// "expired" event, <c>link.expired</c> webhook), one link per SaveChanges. The link's Version token makes
/// a payment that lands in between win: the expiry is then re-read and skipped. Readers already see such
/// links as expired (<see cref="PaymentLink.StatusAt"/>); this makes it durable and tells the merchant.
/// </summary>
public sealed class ExpirePaymentLinks(AppDbContext db, TimeProvider clock, ILogger<ExpirePaymentLinks> log) : IPeriodicTask
{
    public const string Name = "links.expire";
    public const int BatchSize = 200;

    public async Task RunAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var now = clock.GetUtcNow();
            var ids = await db.PaymentLinks.IgnoreQueryFilters().AsNoTracking()
                .Where(l => l.Status == LinkStatus.Open && l.ExpiresAt <= now)
                .OrderBy(l => l.ExpiresAt).Select(l => l.Id).Take(BatchSize).ToListAsync(ct);
            if (ids.Count == 0) break;
            foreach (var id in ids)
                if (await ExpireOneAsync(id, ct)) total++;
            if (ids.Count < BatchSize) break;
        }
        if (total > 0) log.LogInformation("Expired {Count} payment link(s)", total);
    }

    /// <summary>Expires one link if it is still open and due. True when this call expired it.</summary>
    internal async Task<bool> ExpireOneAsync(string id, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            db.ChangeTracker.Clear();
            var link = await db.PaymentLinks.IgnoreQueryFilters().FirstOrDefaultAsync(l => l.Id == id, ct);
            var now = clock.GetUtcNow();
            if (link is null || !link.Expire(now)) return false;
            db.LinkEvents.Add(LinkEvent.For(link, LinkEventTypes.Expired, now));
            try
            {
                await db.SaveChangesAsync(ct);
                return true;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Paid or cancelled meanwhile: read again; Expire() then refuses.
            }
        }
        return false;
    }
}
