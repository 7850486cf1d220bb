using Paylink.Core.Common;

namespace Paylink.Core.Merchants;

/// <summary>
/// A merchant's API key. Only a SHA-256 hash is stored (keys are 256-bit random, so a fast hash is
/// enough); the clear key is shown once at creation. The prefix identifies the key in lists and logs.
/// </summary>
public sealed class ApiKey : IMerchantOwned
{
    public const string KeyPrefix = "pl_live_";

    private ApiKey() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string Hash { get; private set; } = "";
    /// <summary>The first characters of the key, safe to show ("pl_live_Ab3d…").</summary>
    public string Hint { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    /// <summary>Creates a key; the returned clear text is the only time it is available.</summary>
    public static (ApiKey Key, string ClearText) Create(string merchantId, string name, TimeProvider clock)
    {
        var clear = KeyPrefix + Ids.NewSecret(32);
        var key = new ApiKey
        {
            Id = Ids.New("key", clock), MerchantId = merchantId, Name = name,
            Hash = Hashing.Sha256Hex(clear), Hint = clear[..12] + "…", CreatedAt = clock.GetUtcNow(),
        };
        return (key, clear);
    }

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
