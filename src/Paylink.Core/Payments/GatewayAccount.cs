using Paylink.Core.Common;

namespace Paylink.Core.Payments;

/// <summary>
/// A merchant's connection to an acquirer. Settings (keys, secrets) are stored only encrypted
/// (<see cref="ProtectedSettings"/>); the provider parses, validates and masks them.
/// </summary>
public sealed class GatewayAccount : IMerchantOwned, Providers.IProviderAccount
{
    private GatewayAccount() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string Provider { get; private set; } = "";
    public string Name { get; private set; } = "";
    /// <summary>Order in which links pick an account (lowest first) and failover proceeds.</summary>
    public int Position { get; private set; }
    public string ProtectedSettings { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>Soft delete: a deleted account takes no new links and is skipped by failover, but still
    /// verifies notifications and serves refunds/captures of the payments it took.</summary>
    public DateTimeOffset? DeletedAt { get; private set; }

    public bool IsActive => DeletedAt is null;

    public void Rename(string name) => Name = name;
    public void ReplaceSettings(string protectedSettings) => ProtectedSettings = protectedSettings;
    public void MoveTo(int position) => Position = position;
    public void Delete(DateTimeOffset at) => DeletedAt ??= at;

    public static GatewayAccount Create(string merchantId, string provider, string name, int position, string protectedSettings, TimeProvider clock) => new()
    {
        Id = Ids.New("gwa", clock), MerchantId = merchantId, Provider = provider, Name = name, Position = position,
        ProtectedSettings = protectedSettings, CreatedAt = clock.GetUtcNow(),
    };
}
