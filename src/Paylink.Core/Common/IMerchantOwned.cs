namespace Paylink.Core.Common;

/// <summary>A row a merchant owns. AppDbContext filters every query on it by the current merchant.</summary>
public interface IMerchantOwned
{
    string MerchantId { get; }
}

/// <summary>
/// The merchant the current request acts for. Set by API-key authentication; null for system work
/// (CLI, jobs, public pay pages), which must then filter by merchant explicitly.
/// </summary>
public sealed class MerchantScope
{
    public string? MerchantId { get; set; }

    /// <summary>Who acts, for audit logs: "api-key:&lt;SHA-256 prefix&gt;" or "user:&lt;e-mail&gt;"; never a secret.</summary>
    public string? Actor { get; set; }
}
