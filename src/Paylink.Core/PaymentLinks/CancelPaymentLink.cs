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
            var changed = Record(db, link, now);
            if (!changed.IsSuccess) return changed.Error!;
            if (!changed.Value) return link;
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

    /// <summary>Cancels the link and, when that changed it, records its <c>cancelled</c> event (with
    /// <paramref name="dataJson"/>, e.g. the reason) for the caller's SaveChanges — the one way every path cancels a link.</summary>
    public static Result<bool> Record(AppDbContext db, PaymentLink link, DateTimeOffset now, string? dataJson = null)
    {
        var changed = link.Cancel(now);
        if (changed is { IsSuccess: true, Value: true }) db.LinkEvents.Add(LinkEvent.For(link, LinkEventTypes.Cancelled, now, dataJson));
        return changed;
    }
}
