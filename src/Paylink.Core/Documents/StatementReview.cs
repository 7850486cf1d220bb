using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Payments;

namespace Paylink.Core.Documents;

/// <summary>
/// The owner's review list of transfers that were not matched automatically, and the two decisions on one: match it to a
/// счёт by hand (only for the exact amount of an open счёт: a partial or over-payment is settled with the buyer, never
/// recorded as full payment) or dismiss it (handled outside Paylink).
/// </summary>
public sealed class StatementReview(AppDbContext db, ImportStatement import, TimeProvider clock)
{
    public async Task<List<StatementLine>> ListAsync(string? status, CancellationToken ct)
    {
        var q = db.StatementLines.AsNoTracking();
        q = status switch
        {
            null or "review" => q.Where(l => l.Status == StatementLineStatus.Review),
            "matched" => q.Where(l => l.Status == StatementLineStatus.Matched),
            "dismissed" => q.Where(l => l.Status == StatementLineStatus.Dismissed),
            _ => q,
        };
        return await q.OrderByDescending(l => l.Id).Take(200).ToListAsync(ct);
    }

    public async Task<Result<StatementLine>> DismissAsync(string id, CancellationToken ct)
    {
        var line = await db.StatementLines.FirstOrDefaultAsync(l => l.Id == id, ct);
        if (line is null) return Error.NotFound($"Statement line '{id}'");
        if (!line.Dismiss(clock.GetUtcNow()) && line.Status != StatementLineStatus.Dismissed)
            return Error.Conflict("line_matched", "This transfer already paid a счёт.");
        await db.SaveChangesAsync(ct);
        return line;
    }

    public async Task<Result<StatementLine>> MatchAsync(string id, string? invoiceId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(invoiceId)) return Error.Validation("invoiceId", "invoiceId is required.");
        var line = await db.StatementLines.FirstOrDefaultAsync(l => l.Id == id, ct);
        if (line is null) return Error.NotFound($"Statement line '{id}'");
        if (line.Status != StatementLineStatus.Review) return Error.Conflict("line_resolved", "This transfer is already matched or dismissed.");
        var invoice = await db.Invoices.FirstOrDefaultAsync(i => i.Id == invoiceId, ct);
        if (invoice is null) return Error.Validation("invoiceId", $"Invoice '{invoiceId}' was not found.");
        if (invoice.Status != InvoiceStatus.Open && invoice.Status != InvoiceStatus.Cancelled)
            return Error.Conflict("invoice_paid", $"Invoice № {invoice.NumberText} is already paid.");
        if (invoice.AmountMinor != line.AmountMinor)
            return Error.Conflict("amount_differs", $"The transfer is {RussianMoney.Amount(line.AmountMinor)} ₽ but invoice № {invoice.NumberText} is {RussianMoney.Amount(invoice.AmountMinor)} ₽: settle the difference with the buyer, or issue a счёт for this amount.");
        var now = clock.GetUtcNow();
        if (await import.PayAsync(invoice, line.AmountMinor, line.Key, now, ct) != NotificationOutcome.Paid)
            return Error.Conflict("invoice_paid", $"Invoice № {invoice.NumberText} is already paid.");
        line.MatchedByOwner(invoice.Id, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("invoice_paid", $"Invoice № {invoice.NumberText} was paid meanwhile.");
        }
        return line;
    }
}
