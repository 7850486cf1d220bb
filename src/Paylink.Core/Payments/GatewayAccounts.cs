using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Providers;

namespace Paylink.Core.Payments;

/// <summary>Creates gateway accounts and opens their encrypted settings for a provider call.</summary>
public sealed class GatewayAccounts(AppDbContext db, ProviderRegistry<IPaymentGateway> gateways, SecretProtector protector,
    PublicUrls urls, TimeProvider clock)
{
    public async Task<Result<GatewayAccount>> CreateAsync(string merchantId, string provider, string name, JsonObject settings, CancellationToken ct)
    {
        if (!gateways.TryGet(provider, out var gateway))
            return Error.Validation("provider", $"Unknown gateway '{provider}'. Known: {string.Join(", ", gateways.Ids.Order())}.");
        var valid = gateway.ValidateSettings(settings);
        if (!valid.IsSuccess) return valid.Error!;
        var position = await db.GatewayAccounts.IgnoreQueryFilters().Where(a => a.MerchantId == merchantId)
            .Select(a => (int?)a.Position).MaxAsync(ct) ?? -1;
        var account = GatewayAccount.Create(merchantId, provider, name, position + 1, protector.Protect(valid.Value.ToJsonString()), clock);
        db.GatewayAccounts.Add(account);
        return account;
    }

    /// <summary>The account's provider and clear settings, or an error when either is gone.</summary>
    public Result<(IPaymentGateway Gateway, GatewayContext Context)> Open(GatewayAccount account)
    {
        if (!gateways.TryGet(account.Provider, out var gateway))
            return Error.Unavailable($"Gateway '{account.Provider}' is not available in this installation.");
        var clear = protector.TryUnprotect(account.ProtectedSettings);
        if (clear is null || JsonNode.Parse(clear) is not JsonObject settings)
            return Error.Unavailable("The gateway account's settings cannot be decrypted (data-protection keys missing?).");
        return (gateway, new GatewayContext(account, settings, urls.Webhook(account.Provider, account.Id)));
    }
}
