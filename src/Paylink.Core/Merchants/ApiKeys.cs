using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Core.Merchants;

public sealed class CreateApiKey(AppDbContext db, TimeProvider clock)
{
    public async Task<Result<(ApiKey Key, string ClearText)>> HandleAsync(string merchantId, string? name, CancellationToken ct)
    {
        name = string.IsNullOrWhiteSpace(name) ? "key" : name.Trim();
        if (name.Length > 100) return Error.Validation("name", "Name must be at most 100 characters.");
        if (!await db.Merchants.AnyAsync(m => m.Id == merchantId, ct)) return Error.NotFound($"Merchant '{merchantId}'");
        var created = ApiKey.Create(merchantId, name, clock);
        db.ApiKeys.Add(created.Key);
        await db.SaveChangesAsync(ct);
        return created;
    }
}

public sealed class RevokeApiKey(AppDbContext db, IMemoryCache cache, TimeProvider clock)
{
    public async Task<Result<ApiKey>> HandleAsync(string keyId, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId, ct);
        if (key is null) return Error.NotFound($"API key '{keyId}'");
        key.Revoke(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        cache.Remove(ApiKeyAuthenticator.CacheKey(key.Hash));
        return key;
    }
}

/// <summary>
/// Resolves a bearer key to its merchant. Results are cached for a short time so a busy API does not
/// hit the database per request; revocation in this process evicts at once, elsewhere within the TTL.
/// </summary>
public sealed class ApiKeyAuthenticator(AppDbContext db, IMemoryCache cache)
{
    public static readonly TimeSpan CacheTtl = TimeSpan.FromSeconds(30);

    internal static string CacheKey(string hash) => "apikey:" + hash;

    public async Task<string?> AuthenticateAsync(string? bearer, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(bearer) || !bearer.StartsWith(ApiKey.KeyPrefix, StringComparison.Ordinal) || bearer.Length > 100)
            return null;
        var hash = Hashing.Sha256Hex(bearer);
        if (cache.TryGetValue(CacheKey(hash), out string? merchantId)) return merchantId;
        merchantId = await db.ApiKeys.IgnoreQueryFilters().AsNoTracking()
            .Where(k => k.Hash == hash && k.RevokedAt == null).Select(k => k.MerchantId).FirstOrDefaultAsync(ct);
        // Unknown keys are cached too (briefly) so a flood of bad keys costs no queries.
        cache.Set(CacheKey(hash), merchantId, merchantId is null ? TimeSpan.FromSeconds(5) : CacheTtl);
        return merchantId;
    }
}
