using Microsoft.EntityFrameworkCore;
using Paylink.Core.Data;

namespace Paylink.Core.Customers;

/// <summary>
/// Finds a merchant's customer by E.164 phone, then by e-mail, or adds a new one: the one place where
/// contacts are deduplicated (links, bookings and the CRM all come through here). Adds to the context
/// without saving. Inputs must already be normalised (<see cref="ContactFormats"/>).
/// </summary>
public static class CustomerDirectory
{
    public static async Task<Customer> FindOrCreateAsync(AppDbContext db, string merchantId, string? name, string? phone, string? email,
        TimeProvider clock, CancellationToken ct)
    {
        var existing = await FindAsync(db, merchantId, phone, email, ct);
        if (existing is not null) { existing.Complete(name, phone, email); return existing; }
        var created = Customer.Create(merchantId, name, phone, email, clock);
        db.Customers.Add(created);
        return created;
    }

    /// <summary>The customer a merged contact now lives on (itself when not merged).</summary>
    public static async Task<Customer> CurrentAsync(AppDbContext db, Customer customer, CancellationToken ct) =>
        customer.MergedIntoId is null ? customer : await db.Customers.IgnoreQueryFilters().FirstAsync(x => x.Id == customer.MergedIntoId, ct);

    /// <summary>The customer with this phone or (failing that) this e-mail, including one added to the context but not yet saved.</summary>
    public static async Task<Customer?> FindAsync(AppDbContext db, string merchantId, string? phone, string? email, CancellationToken ct)
    {
        var pending = db.ChangeTracker.Entries<Customer>().Where(e => e.State == EntityState.Added && e.Entity.MerchantId == merchantId)
            .Select(e => e.Entity).ToList();
        Customer? found = null;
        if (phone is not null)
            found = pending.FirstOrDefault(c => c.Phone == phone)
                ?? await db.Customers.IgnoreQueryFilters().Where(x => x.MerchantId == merchantId && x.Phone == phone && x.MergedIntoId == null)
                    .OrderBy(x => x.CreatedAt).FirstOrDefaultAsync(ct);
        if (found is null && email is not null)
            found = pending.FirstOrDefault(c => c.Email == email)
                ?? await db.Customers.IgnoreQueryFilters().Where(x => x.MerchantId == merchantId && x.Email == email && x.MergedIntoId == null)
                    .OrderBy(x => x.CreatedAt).FirstOrDefaultAsync(ct);
        return found;
    }
}
