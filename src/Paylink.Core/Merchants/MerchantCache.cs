using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Paylink.Core.Data;

namespace Paylink.Core.Merchants;

/// <summary>
/// Merchants are read on every pay page and link creation and change rarely: a short-lived per-process
/// copy saves a query each time. Code that changes a merchant calls <see cref="Evict"/>; other
/// instances see the change within <see cref="Ttl"/>.
/// </summary>
public sealed class MerchantCache(AppDbContext db, IMemoryCache cache)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    private static string Key(string id) => "merchant:" + id;

    public async Task<Merchant?> GetAsync(string id, CancellationToken ct)
    {
        if (cache.TryGetValue(Key(id), out Merchant? m)) return m;
        m = await db.Merchants.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (m is not null) cache.Set(Key(id), m, Ttl);
        return m;
    }

    public void Evict(string id) => cache.Remove(Key(id));
}
