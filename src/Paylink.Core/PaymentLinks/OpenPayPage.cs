using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Merchants;

namespace Paylink.Core.PaymentLinks;

public sealed record PayPageView(PaymentLink Link, Merchant Merchant, LinkStatus Status, DateTimeOffset Now);

/// <summary>
/// Loads what the public pay page shows and records the first open. Reads without tracking; the
/// first-open write is a conditional update, so concurrent first opens record one event.
/// </summary>
public sealed class OpenPayPage(AppDbContext db, MerchantCache merchants, TimeProvider clock)
{
    public async Task<Result<PayPageView>> HandleAsync(string code, bool recordOpen, CancellationToken ct)
    {
        if (!Ids.IsCode(code)) return Error.NotFound("Link");
        var link = await db.PaymentLinks.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(l => l.Code == code, ct);
        if (link is null) return Error.NotFound("Link");
        var merchant = await merchants.GetAsync(link.MerchantId, ct)
            ?? throw new InvalidOperationException($"Link {link.Id} belongs to a merchant that does not exist.");
        var now = clock.GetUtcNow();
        if (recordOpen) await RecordFirstOpenAsync(db, link, now, ct);
        return new PayPageView(link, merchant, link.StatusAt(now), now);
    }

    /// <summary>
    /// Records the first time the customer saw an open link (the funnel's "opened" step): a conditional
    /// update, so concurrent first opens record one event. Later views, and views of a link that can no
    /// longer be paid, record nothing.
    /// </summary>
    internal static async Task RecordFirstOpenAsync(AppDbContext db, PaymentLink link, DateTimeOffset now, CancellationToken ct)
    {
        if (link.OpenedAt is not null || link.StatusAt(now) != LinkStatus.Open) return;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rows = await db.PaymentLinks.IgnoreQueryFilters()
            .Where(l => l.Id == link.Id && l.OpenedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.OpenedAt, now), ct);
        if (rows == 1)
        {
            db.LinkEvents.Add(LinkEvent.For(link, LinkEventTypes.Opened, now));
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
    }
}
