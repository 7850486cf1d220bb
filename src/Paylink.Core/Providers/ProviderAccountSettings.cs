using System.Text.Json.Nodes;
using Paylink.Core.Common;

namespace Paylink.Core.Providers;

/// <summary>A provider whose per-merchant settings are validated by it, stored encrypted and shown masked
/// (gateways, channels, CRMs, self-employed receipt services).</summary>
public interface IConfigurableProvider : IProvider
{
    /// <summary>Validates settings given by the merchant and returns them normalised (secrets in clear, for the caller to
    /// encrypt). Errors name the field (<c>settings.xxx</c>). Providers that call an HTTP API accept an optional absolute
    /// <c>baseUrl</c> overriding its address.</summary>
    Result<JsonObject> ValidateSettings(JsonObject settings);

    /// <summary>Settings safe to show: secrets (tokens, passwords, the secret part of URLs) masked.</summary>
    JsonObject MaskSettings(JsonObject settings);
}

/// <summary>A merchant's account at a provider: which provider, and its settings as <see cref="SecretProtector"/> stored them.</summary>
public interface IProviderAccount
{
    string Provider { get; }
    string ProtectedSettings { get; }
}

/// <summary>Validated settings in clear (for the caller to read) and encrypted (for the caller to store).</summary>
public sealed record ValidatedSettings(JsonObject Clear, string Protected);

/// <summary>
/// The one implementation of what every provider-account store (<c>GatewayAccounts</c>, <c>ChannelAccounts</c>,
/// <c>CrmAccounts</c>, <c>SelfEmployedAccounts</c>) does with a provider's settings: resolve the provider id through the
/// registry, validate by the provider, refuse private destinations (<see cref="OutboundSettings"/>), encrypt, merge a
/// partial update over the stored settings, decrypt for a call and mask for display. The stores keep what differs
/// (ordering and failover, webhooks and slugs, one CRM at a time, the tax service's sign-in).
/// </summary>
/// <param name="noun">How errors name the provider kind: "gateway", "channel", "CRM", "receipt provider".</param>
public sealed class ProviderAccountSettings<TProvider>(ProviderRegistry<TProvider> registry, SecretProtector protector,
    OutboundSettings outbound, string noun) where TProvider : IConfigurableProvider
{
    /// <summary>The installed provider ids, for error messages.</summary>
    public string Known => string.Join(", ", registry.Ids.Order(StringComparer.Ordinal));

    /// <summary>The provider for a merchant-given id, or a validation error on <c>provider</c> listing the known ones.</summary>
    public Result<TProvider> Resolve(string? provider)
    {
        if (string.IsNullOrEmpty(provider)) return Error.Validation("provider", $"provider is required: one of {Known}.");
        return registry.TryGet(provider, out var p) ? Result<TProvider>.Ok(p) : Error.Validation("provider", $"Unknown {noun} '{provider}'. Known: {Known}.");
    }

    /// <summary>Validates new settings by <paramref name="provider"/>, checks their destinations and encrypts them.</summary>
    public async Task<Result<ValidatedSettings>> ValidateAsync(TProvider provider, JsonObject? settings, CancellationToken ct)
    {
        var valid = provider.ValidateSettings(settings ?? []);
        if (!valid.IsSuccess) return valid.Error!;
        if (await outbound.CheckAsync(valid.Value, ct) is { } refused) return refused;
        return new ValidatedSettings(valid.Value, protector.Protect(valid.Value.ToJsonString()));
    }

    /// <summary>A partial update: <paramref name="changes"/> merged over the <paramref name="stored"/> settings (so a merchant
    /// can rotate one secret without re-sending the others), then validated, checked and encrypted again.</summary>
    public Task<Result<ValidatedSettings>> MergeAsync(TProvider provider, JsonObject stored, JsonObject changes, CancellationToken ct)
    {
        var merged = (JsonObject)stored.DeepClone();
        foreach (var (k, v) in changes) merged[k] = v?.DeepClone();
        return ValidateAsync(provider, merged, ct);
    }

    /// <summary>The account's provider and clear settings, or an error when the provider is not installed or the settings
    /// cannot be decrypted.</summary>
    public Result<(TProvider Provider, JsonObject Settings)> Open(IProviderAccount account)
    {
        if (!registry.TryGet(account.Provider, out var provider))
            return Error.Unavailable($"The {noun} '{account.Provider}' is not available in this installation.");
        if (Decrypt(account.ProtectedSettings) is not { } settings)
            return Error.Unavailable($"The {noun} account's settings cannot be decrypted (data-protection keys missing?).");
        return (provider, settings);
    }

    /// <summary>The settings safe to show (empty when they cannot be opened).</summary>
    public JsonObject Masked(IProviderAccount account) =>
        Open(account) is { IsSuccess: true } opened ? opened.Value.Provider.MaskSettings(opened.Value.Settings) : [];

    /// <summary>Encrypts any other per-account JSON (a provider's session).</summary>
    public string Protect(JsonObject value) => protector.Protect(value.ToJsonString());

    /// <summary>Decrypts JSON stored by <see cref="Protect"/>; null when it cannot be read.</summary>
    public JsonObject? Decrypt(string? protectedJson) =>
        protectedJson is not null && protector.TryUnprotect(protectedJson) is { } clear ? JsonNode.Parse(clear) as JsonObject : null;
}
