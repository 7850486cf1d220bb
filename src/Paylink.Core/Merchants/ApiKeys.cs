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

public sealed class RevokeApiKey(AppDbContext db, TimeProvider clock)
{
    public async Task<Result<ApiKey>> HandleAsync(string keyId, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId, ct);
        if (key is null) return Error.NotFound($"API key '{keyId}'");
        key.Revoke(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return key;
    }
}

/// <summary>
/// Resolves a bearer key to its merchant. A known key is looked up on every request (one primary-key-like
/// index seek on the hash), so a key revoked on any instance or from the CLI stops working on the very
/// next request everywhere. Only unknown keys are cached, briefly, so a flood of bad keys costs no queries;
/// a key is never unknown before it is created, so the cache cannot hide a new key.
/// </summary>
public sealed class ApiKeyAuthenticator(AppDbContext db, IMemoryCache cache)
{
    public static readonly TimeSpan UnknownKeyCacheTtl = TimeSpan.FromSeconds(5);

    private static string CacheKey(string hash) => "apikey-unknown:" + hash;

    public async Task<string?> AuthenticateAsync(string? bearer, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(bearer) || !bearer.StartsWith(ApiKey.KeyPrefix, StringComparison.Ordinal) || bearer.Length > 100)
            return null;
        var hash = Hashing.Sha256Hex(bearer);
        if (cache.TryGetValue(CacheKey(hash), out _)) return null;
        var merchantId = await db.ApiKeys.IgnoreQueryFilters().AsNoTracking()
            .Where(k => k.Hash == hash && k.RevokedAt == null).Select(k => k.MerchantId).FirstOrDefaultAsync(ct);
        if (merchantId is null) cache.Set(CacheKey(hash), true, UnknownKeyCacheTtl);
        return merchantId;
    }
}
