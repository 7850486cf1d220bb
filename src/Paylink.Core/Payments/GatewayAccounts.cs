using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Providers;

namespace Paylink.Core.Payments;

/// <summary>A gateway account as shown to its merchant: secrets masked, never in clear.</summary>
public sealed record GatewayAccountView(string Id, string Provider, string Name, int Position, string WebhookUrl, JsonObject Settings,
    DateTimeOffset CreatedAt);

/// <summary>
/// Manages a merchant's gateway accounts (create, list, update, soft-delete, reorder, test) and opens
/// their encrypted settings for a provider call. Settings are validated by the provider, stored only
/// encrypted and shown only masked.
/// </summary>
public sealed class GatewayAccounts(AppDbContext db, ProviderRegistry<IPaymentGateway> gateways, SecretProtector protector,
    PublicUrls urls, TimeProvider clock, OutboundSettings outbound)
{
    public const int MaxName = 100;
    private readonly ProviderAccountSettings<IPaymentGateway> _settings = new(gateways, protector, outbound, "gateway");

    public async Task<Result<GatewayAccount>> CreateAsync(string merchantId, string? provider, string? name, JsonObject? settings, CancellationToken ct)
    {
        var gateway = _settings.Resolve(provider);
        if (!gateway.IsSuccess) return gateway.Error!;
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxName) return Error.Validation("name", $"name is required, at most {MaxName} characters.");
        var valid = await _settings.ValidateAsync(gateway.Value, settings, ct);
        if (!valid.IsSuccess) return valid.Error!;
        var position = await db.GatewayAccounts.IgnoreQueryFilters().Where(a => a.MerchantId == merchantId)
            .Select(a => (int?)a.Position).MaxAsync(ct) ?? -1;
        var account = GatewayAccount.Create(merchantId, provider!, name, position + 1, valid.Value.Protected, clock);
        db.GatewayAccounts.Add(account);
        return account;
    }

    /// <summary>The merchant's active accounts in order (the order links and failover use).</summary>
    public async Task<List<GatewayAccount>> ListAsync(CancellationToken ct) =>
        (await db.GatewayAccounts.AsNoTracking().Where(a => a.DeletedAt == null).ToListAsync(ct)).OrderBy(a => a.Position).ThenBy(a => a.Id).ToList();

    public async Task<Result<GatewayAccount>> FindAsync(string id, CancellationToken ct) =>
        await db.GatewayAccounts.FirstOrDefaultAsync(a => a.Id == id && a.DeletedAt == null, ct) is { } a ? a : Error.NotFound($"Gateway account '{id}'");

    /// <summary>Partial update: a given name replaces the name; given settings are merged over the stored
    /// ones (so a merchant can rotate one secret without re-sending the others) and validated again.</summary>
    public async Task<Result<GatewayAccount>> UpdateAsync(string id, string? name, JsonObject? settings, CancellationToken ct)
    {
        var found = await FindAsync(id, ct);
        if (!found.IsSuccess) return found;
        var account = found.Value;
        if (name is not null)
        {
            name = name.Trim();
            if (name.Length is 0 or > MaxName) return Error.Validation("name", $"name must be 1–{MaxName} characters.");
            account.Rename(name);
        }
        if (settings is not null)
        {
            var opened = _settings.Open(account);
            if (!opened.IsSuccess) return opened.Error!;
            var valid = await _settings.MergeAsync(opened.Value.Provider, opened.Value.Settings, settings, ct);
            if (!valid.IsSuccess) return valid.Error!;
            account.ReplaceSettings(valid.Value.Protected);
        }
        await db.SaveChangesAsync(ct);
        return account;
    }

    /// <summary>Soft delete. Refused while open links would be paid through it and it is the merchant's
    /// only active account; otherwise open links fail over to the next account.</summary>
    public async Task<Result<GatewayAccount>> DeleteAsync(string id, CancellationToken ct)
    {
        var found = await FindAsync(id, ct);
        if (!found.IsSuccess) return found;
        var account = found.Value;
        var now = clock.GetUtcNow();
        var openLinks = await db.PaymentLinks.CountAsync(l => l.GatewayAccountId == id
            && (l.Status == LinkStatus.Open && l.ExpiresAt > now || l.Status == LinkStatus.Authorized), ct);
        var others = await db.GatewayAccounts.CountAsync(a => a.Id != id && a.DeletedAt == null, ct);
        if (openLinks > 0 && others == 0)
            return Error.Conflict("account_in_use", $"{openLinks} open or held link(s) use this account and there is no other account to take them; connect another account or cancel the links first.");
        account.Delete(now);
        await db.SaveChangesAsync(ct);
        return account;
    }

    /// <summary>Sets the order: the given ids first, in that order; the rest keep their relative order after them.</summary>
    public async Task<Result<List<GatewayAccount>>> ReorderAsync(IReadOnlyList<string>? ids, CancellationToken ct)
    {
        if (ids is null || ids.Count == 0) return Error.Validation("ids", "ids is required: the account ids in the order to use them.");
        var all = await db.GatewayAccounts.Where(a => a.DeletedAt == null).ToListAsync(ct);
        var unknown = ids.Where(i => all.All(a => a.Id != i)).ToList();
        if (unknown.Count > 0) return Error.Validation("ids", $"Unknown gateway account(s): {string.Join(", ", unknown)}.");
        if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count) return Error.Validation("ids", "ids must not repeat.");
        var ordered = ids.Select(i => all.First(a => a.Id == i))
            .Concat(all.Where(a => !ids.Contains(a.Id)).OrderBy(a => a.Position).ThenBy(a => a.Id)).ToList();
        for (var i = 0; i < ordered.Count; i++) ordered[i].MoveTo(i);
        await db.SaveChangesAsync(ct);
        return ordered;
    }

    /// <summary>Checks the credentials with a real, harmless call to the gateway.</summary>
    public async Task<Result<string>> TestAsync(string id, CancellationToken ct)
    {
        var found = await FindAsync(id, ct);
        if (!found.IsSuccess) return found.Error!;
        var opened = Open(found.Value);
        if (!opened.IsSuccess) return opened.Error!;
        if (opened.Value.Gateway is not IGatewayCredentialsCheck check) return "The sandbox needs no credentials.";
        return await check.CheckCredentialsAsync(opened.Value.Context, ct);
    }

    public GatewayAccountView View(GatewayAccount a)
    {
        return new GatewayAccountView(a.Id, a.Provider, a.Name, a.Position, urls.Webhook(a.Provider, a.Id), _settings.Masked(a), a.CreatedAt);
    }

    /// <summary>The account's provider and clear settings, or an error when either is gone.</summary>
    public Result<(IPaymentGateway Gateway, GatewayContext Context)> Open(GatewayAccount account)
    {
        var opened = _settings.Open(account);
        if (!opened.IsSuccess) return opened.Error!;
        return (opened.Value.Provider, new GatewayContext(account, opened.Value.Settings, urls.Webhook(account.Provider, account.Id)));
    }
}
