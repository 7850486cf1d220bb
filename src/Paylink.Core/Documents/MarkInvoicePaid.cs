using Microsoft.EntityFrameworkCore;
using Paylink.Core.Data;
using Paylink.Core.PaymentLinks;

namespace Paylink.Core.Documents;

/// <summary>
/// The счёт of a link is paid when its link is paid, whichever way the money came (card/SBP through a gateway, or a bank
/// transfer matched from a statement): one path, in the same SaveChanges as the link's "paid" event.
/// </summary>
public sealed class MarkInvoicePaidReaction(TimeProvider clock) : ILinkEventReaction
{
    public async ValueTask ReactAsync(AppDbContext db, IReadOnlyList<LinkEvent> added, bool sync, CancellationToken ct)
    {
        foreach (var e in added)
        {
            if (e.Type != LinkEventTypes.Paid) continue;
            var invoice = db.ChangeTracker.Entries<Invoice>().FirstOrDefault(i => i.Entity.LinkId == e.LinkId)?.Entity;
            if (invoice is null)
            {
                var q = db.Invoices.IgnoreQueryFilters().Where(i => i.LinkId == e.LinkId && i.MerchantId == e.MerchantId);
                invoice = sync ? q.FirstOrDefault() : await q.FirstOrDefaultAsync(ct);
            }
            invoice?.MarkPaid(clock.GetUtcNow());
        }
    }
}
