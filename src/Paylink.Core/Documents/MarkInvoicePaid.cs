using Microsoft.EntityFrameworkCore;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.PaymentLinks;

namespace Paylink.Core.Documents;

/// <summary>
/// The счёт of a link is paid when its link is paid, whichever way the money came (card/SBP through a gateway, or a bank
/// transfer matched from a statement): one path, in the same SaveChanges as the link's "paid" event. The акт is queued
/// in the same transaction (job <see cref="IssueAct.JobType"/>), numbered in its own one, so a numbering collision can
/// never fail the recording of money.
/// </summary>
public sealed class MarkInvoicePaidReaction(IJobQueue jobs, TimeProvider clock) : ILinkEventReaction
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
            if (invoice?.MarkPaid(clock.GetUtcNow()) == true)
                jobs.Enqueue(db, IssueAct.JobType, new IssueAct.Payload(invoice.Id), dedupeKey: "act:" + invoice.Id);
        }
    }
}
