using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Core.Crm;

/// <summary>
/// Merges a duplicate contact into another: links, orders, bookings, deals, timeline and saved payment
/// methods move to the survivor in one transaction; the duplicate stays as a pointer (MergedIntoId) so
/// old ids still resolve. The survivor takes the name, phone or e-mail it lacked.
/// </summary>
public sealed class MergeContacts(AppDbContext db, TimeProvider clock)
{
    public async Task<Result<Customers.Customer>> HandleAsync(string sourceId, string? intoId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(intoId)) return Error.Validation("into", "into is required: the id of the contact to keep.");
        var source = await db.Customers.FirstOrDefaultAsync(c => c.Id == sourceId, ct);
        if (source is null) return Error.NotFound($"Contact '{sourceId}'");
        var target = await db.Customers.FirstOrDefaultAsync(c => c.Id == intoId, ct);
        if (target is null) return Error.Validation("into", $"Contact '{intoId}' was not found.");
        var merged = source.MergeInto(target);
        if (!merged.IsSuccess) return merged.Error!;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.PaymentLinks.Where(l => l.CustomerId == source.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.CustomerId, target.Id), ct);
        await db.Orders.Where(o => o.CustomerId == source.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.CustomerId, target.Id), ct);
        await db.Bookings.Where(b => b.CustomerId == source.Id).ExecuteUpdateAsync(s => s.SetProperty(b => b.CustomerId, target.Id), ct);
        await db.Deals.Where(d => d.ContactId == source.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.ContactId, target.Id), ct);
        await db.TimelineEntries.Where(t => t.ContactId == source.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.ContactId, target.Id), ct);
        await db.SavedPaymentMethods.Where(m => m.CustomerId == source.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.CustomerId, target.Id), ct);
        db.TimelineEntries.Add(TimelineEntry.Note(target.MerchantId, target.Id, null,
            $"Контакт {source.Id} объединён с этим контактом ({Masking.Phone(source.Phone)} {Masking.Email(source.Email)})".TrimEnd(), clock.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return target;
    }
}
