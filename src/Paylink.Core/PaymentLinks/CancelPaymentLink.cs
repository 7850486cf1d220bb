using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Core.PaymentLinks;

/// <summary>Cancels an open link. Cancelling twice is harmless; a paid link answers Conflict.</summary>
public sealed class CancelPaymentLink(AppDbContext db, TimeProvider clock)
{
    public async Task<Result<PaymentLink>> HandleAsync(string linkId, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var link = await db.PaymentLinks.FirstOrDefaultAsync(l => l.Id == linkId, ct);
            if (link is null) return Error.NotFound($"Link '{linkId}'");
            var now = clock.GetUtcNow();
            var changed = link.Cancel(now);
            if (!changed.IsSuccess) return changed.Error!;
            if (!changed.Value) return link;
            db.LinkEvents.Add(LinkEvent.For(link, LinkEventTypes.Cancelled, now));
            try
            {
                await db.SaveChangesAsync(ct);
                return link;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // A payment or another cancel won the race: re-read and decide again.
                db.ChangeTracker.Clear();
            }
        }
    }
}
