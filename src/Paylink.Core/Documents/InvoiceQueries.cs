using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.PaymentLinks;

namespace Paylink.Core.Documents;

/// <summary>Reading and cancelling the merchant's счета (scoped by the request's merchant through the query filter).</summary>
public sealed class InvoiceQueries(AppDbContext db, CancelPaymentLink cancelLink, TimeProvider clock)
{
    public const int MaxPage = 100;

    public async Task<Result<Invoice>> GetAsync(string id, CancellationToken ct) =>
        await db.Invoices.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct) is { } inv ? inv : Error.NotFound($"Invoice '{id}'");

    /// <summary>The act of a счёт (404 until issued) with the счёт it closes.</summary>
    public async Task<Result<(Act Act, Invoice Invoice)>> ActAsync(string invoiceId, CancellationToken ct)
    {
        var invoice = await db.Invoices.AsNoTracking().FirstOrDefaultAsync(i => i.Id == invoiceId, ct);
        if (invoice is null) return Error.NotFound($"Invoice '{invoiceId}'");
        var act = await db.Acts.AsNoTracking().FirstOrDefaultAsync(a => a.InvoiceId == invoiceId, ct);
        return act is null ? Error.NotFound($"The act of invoice '{invoiceId}'") : (act, invoice);
    }

    /// <summary>Newest first; <paramref name="status"/> open | paid | cancelled; keyset by id.</summary>
    public async Task<Result<(List<Invoice> Items, string? NextCursor)>> ListAsync(string? status, int? limit, string? cursor, CancellationToken ct)
    {
        var n = limit ?? 50;
        if (n is < 1 or > MaxPage) return Error.Validation("limit", $"limit must be between 1 and {MaxPage}.");
        var q = db.Invoices.AsNoTracking();
        if (status is not null)
        {
            if (!Enum.TryParse<InvoiceStatus>(status, ignoreCase: true, out var s) || !Enum.IsDefined(s) || status.Any(char.IsDigit))
                return Error.Validation("status", "status must be open, paid or cancelled.");
            q = q.Where(i => i.Status == s);
        }
        if (cursor is not null) q = q.Where(i => string.Compare(i.Id, cursor) < 0);
        var items = await q.OrderByDescending(i => i.Id).Take(n + 1).ToListAsync(ct);
        string? next = null;
        if (items.Count > n)
        {
            items.RemoveAt(n);
            next = items[^1].Id;
        }
        return (items, next);
    }

    /// <summary>
    /// Cancels an open счёт and its payment link (so it can no longer be paid by card). A paid one is refused. A transfer
    /// that arrives after the cancel is still recorded (a cancelled link can be paid), and marks the счёт paid.
    /// </summary>
    public async Task<Result<Invoice>> CancelAsync(string id, CancellationToken ct)
    {
        var current = await db.Invoices.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct);
        if (current is null) return Error.NotFound($"Invoice '{id}'");
        if (current.Status == InvoiceStatus.Cancelled) return current;
        if (current.Status == InvoiceStatus.Paid) return Paid(current);
        var link = await cancelLink.HandleAsync(current.LinkId, ct);
        if (!link.IsSuccess && link.Error!.Code != "link_expired") return link.Error.Code == "link_paid" ? Paid(current) : link.Error;
        db.ChangeTracker.Clear();
        var invoice = await db.Invoices.FirstAsync(i => i.Id == id, ct);
        var cancelled = invoice.Cancel(clock.GetUtcNow());
        if (!cancelled.IsSuccess) return cancelled.Error!;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Paid(invoice);   // its payment was recorded between our read and our write
        }
        return invoice;
    }

    private static Error Paid(Invoice i) => Error.Conflict("invoice_paid", $"Invoice № {i.NumberText} is paid; refund it instead of cancelling.");
}
