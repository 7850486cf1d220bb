using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Core.PaymentLinks;

/// <summary>A link with its payments, as <see cref="LinkView"/>. Merchant scope applies.</summary>
public sealed class GetPaymentLink(AppDbContext db, PublicUrls urls, TimeProvider clock)
{
    public async Task<Result<LinkView>> HandleAsync(string id, CancellationToken ct)
    {
        var link = await db.PaymentLinks.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, ct);
        if (link is null) return Error.NotFound($"Link '{id}'");
        var payments = await db.Payments.AsNoTracking().Where(p => p.LinkId == id).ToListAsync(ct);
        var refunds = await db.Refunds.AsNoTracking().Where(r => r.LinkId == id).ToListAsync(ct);
        return LinkView.From(link, urls, clock.GetUtcNow(), payments, refunds);
    }
}
