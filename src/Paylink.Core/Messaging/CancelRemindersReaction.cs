using Microsoft.EntityFrameworkCore;
using Paylink.Core.Data;
using Paylink.Core.PaymentLinks;

namespace Paylink.Core.Messaging;

/// <summary>
/// Stops reminders the moment they stop making sense: a link paid (or held), cancelled or expired cancels its
/// scheduled reminders, and paying one link of an order cancels the order's other open links (whose own
/// "cancelled" events then cancel their reminders in the next pass). Runs inside the SaveChanges of the event.
/// </summary>
public sealed class CancelRemindersReaction(TimeProvider clock) : ILinkEventReaction
{
    private static readonly HashSet<string> Ending =
        [LinkEventTypes.Paid, LinkEventTypes.Authorized, LinkEventTypes.Cancelled, LinkEventTypes.Expired];

    public async ValueTask ReactAsync(AppDbContext db, IReadOnlyList<LinkEvent> added, bool sync, CancellationToken ct)
    {
        var ending = added.Where(e => Ending.Contains(e.Type)).ToList();
        if (ending.Count == 0) return;
        var now = clock.GetUtcNow();
        var linkIds = ending.Select(e => e.LinkId).Distinct().ToList();
        var query = db.Reminders.IgnoreQueryFilters().Where(r => r.LinkId != null && linkIds.Contains(r.LinkId) && r.Status == ReminderStatuses.Scheduled);
        var reminders = sync ? query.ToList() : await query.ToListAsync(ct);
        foreach (var r in reminders)
            r.Cancel("link_" + ending.First(e => e.LinkId == r.LinkId).Type, now);

        var paid = ending.Where(e => e.Type is LinkEventTypes.Paid or LinkEventTypes.Authorized).Select(e => e.LinkId).ToList();
        if (paid.Count == 0) return;
        var paidLinks = db.PaymentLinks.Local.Where(l => paid.Contains(l.Id)).ToList();
        var missing = paid.Except(paidLinks.Select(l => l.Id)).ToList();
        if (missing.Count > 0)
        {
            var q = db.PaymentLinks.IgnoreQueryFilters().Where(l => missing.Contains(l.Id));
            paidLinks.AddRange(sync ? q.ToList() : await q.ToListAsync(ct));
        }
        var orders = paidLinks.Select(l => l.OrderId).Distinct().ToList();
        var siblingsQuery = db.PaymentLinks.IgnoreQueryFilters().Where(l => orders.Contains(l.OrderId) && !paid.Contains(l.Id) && l.Status == LinkStatus.Open);
        var siblings = sync ? siblingsQuery.ToList() : await siblingsQuery.ToListAsync(ct);
        foreach (var s in siblings) CancelPaymentLink.Record(db, s, now, """{"reason":"order_paid"}""");
    }
}
