using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Providers;

namespace Paylink.Core.Crm;

public sealed record CrmAccountView(string Id, string Provider, JsonObject Settings, string WebhookUrl, DateTimeOffset CreatedAt,
    string? LastError, DateTimeOffset? LastErrorAt);

public sealed record CrmLogView(long Id, DateTimeOffset At, string Level, string Operation, string Message, string? DealId);

/// <summary>
/// Connects, reads, updates, disconnects and tests a merchant's external CRM (one active at a time).
/// Mirrors <see cref="Payments.GatewayAccounts"/>: settings validated by the connector, stored encrypted, shown masked.
/// </summary>
public sealed class CrmAccounts(AppDbContext db, ProviderRegistry<ICrmConnector> connectors, SecretProtector protector, PublicUrls urls,
    TimeProvider clock, OutboundSettings outbound)
{
    public async Task<Result<CrmAccount>> CreateAsync(string merchantId, string? provider, JsonObject? settings, CancellationToken ct)
    {
        var known = string.Join(", ", connectors.Ids.Order());
        if (string.IsNullOrEmpty(provider)) return Error.Validation("provider", $"provider is required: one of {known}.");
        if (provider == "builtin") return Error.Validation("provider", "The built-in CRM is always on and needs no account.");
        if (!connectors.TryGet(provider, out var connector)) return Error.Validation("provider", $"Unknown CRM '{provider}'. Known: {known}.");
        var valid = connector.ValidateSettings(settings ?? []);
        if (!valid.IsSuccess) return valid.Error!;
        if (await outbound.CheckAsync(valid.Value, ct) is { } refused) return refused;
        if (await db.CrmAccounts.AnyAsync(a => a.MerchantId == merchantId && a.DeletedAt == null, ct))
            return Error.Conflict("crm_connected", "A CRM is already connected; disconnect it (DELETE) before connecting another.");
        var account = CrmAccount.Create(merchantId, provider, protector.Protect(valid.Value.ToJsonString()), clock);
        db.CrmAccounts.Add(account);
        await db.SaveChangesAsync(ct);
        return account;
    }

    public async Task<List<CrmAccount>> ListAsync(CancellationToken ct) =>
        (await db.CrmAccounts.AsNoTracking().Where(a => a.DeletedAt == null).ToListAsync(ct)).OrderBy(a => a.Id).ToList();

    public async Task<Result<CrmAccount>> FindAsync(string id, CancellationToken ct) =>
        await db.CrmAccounts.FirstOrDefaultAsync(a => a.Id == id && a.DeletedAt == null, ct) is { } a ? a : Error.NotFound($"CRM account '{id}'");

    /// <summary>Given settings are merged over the stored ones (rotate one secret without re-sending the rest) and validated again.</summary>
    public async Task<Result<CrmAccount>> UpdateAsync(string id, JsonObject? settings, CancellationToken ct)
    {
        var found = await FindAsync(id, ct);
        if (!found.IsSuccess) return found;
        if (settings is null) return Error.Validation("settings", "settings is required.");
        var opened = Open(found.Value);
        if (!opened.IsSuccess) return opened.Error!;
        var merged = (JsonObject)opened.Value.Context.Settings.DeepClone();
        foreach (var (k, v) in settings) merged[k] = v?.DeepClone();
        var valid = opened.Value.Connector.ValidateSettings(merged);
        if (!valid.IsSuccess) return valid.Error!;
        if (await outbound.CheckAsync(valid.Value, ct) is { } refused) return refused;
        found.Value.ReplaceSettings(protector.Protect(valid.Value.ToJsonString()));
        found.Value.Succeeded();
        await db.SaveChangesAsync(ct);
        return found.Value;
    }

    public async Task<Result<CrmAccount>> DeleteAsync(string id, CancellationToken ct)
    {
        var found = await FindAsync(id, ct);
        if (!found.IsSuccess) return found;
        found.Value.Delete(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return found.Value;
    }

    public async Task<Result<string>> TestAsync(string id, CancellationToken ct)
    {
        var found = await FindAsync(id, ct);
        if (!found.IsSuccess) return found.Error!;
        var opened = Open(found.Value);
        if (!opened.IsSuccess) return opened.Error!;
        var r = await opened.Value.Connector.TestAsync(opened.Value.Context, ct);
        if (r.IsSuccess) return r.Value;
        return r.Failure!.Transient ? Error.Unavailable(r.Failure.Message) : Error.Conflict("crm_test_failed", r.Failure.Message);
    }

    public async Task<Result<IReadOnlyList<CrmLogView>>> LogAsync(string id, int limit, CancellationToken ct)
    {
        if (!await db.CrmAccounts.AnyAsync(a => a.Id == id, ct)) return Error.NotFound($"CRM account '{id}'");
        if (limit is < 1 or > 500) return Error.Validation("limit", "limit must be between 1 and 500.");
        var rows = await db.CrmLogEntries.AsNoTracking().Where(l => l.AccountId == id).OrderByDescending(l => l.Id).Take(limit).ToListAsync(ct);
        return rows.Select(l => new CrmLogView(l.Id, l.At, l.Level, l.Operation, l.Message, l.DealId)).ToList();
    }

    public CrmAccountView View(CrmAccount a)
    {
        var opened = Open(a);
        var masked = opened.IsSuccess ? opened.Value.Connector.MaskSettings(opened.Value.Context.Settings) : [];
        return new CrmAccountView(a.Id, a.Provider, masked, urls.Webhook(a.Provider, a.Id), a.CreatedAt, a.LastError, a.LastErrorAt);
    }

    public Result<(ICrmConnector Connector, CrmContext Context)> Open(CrmAccount account)
    {
        if (!connectors.TryGet(account.Provider, out var connector))
            return Error.Unavailable($"CRM '{account.Provider}' is not available in this installation.");
        var clear = protector.TryUnprotect(account.ProtectedSettings);
        if (clear is null || JsonNode.Parse(clear) is not JsonObject settings)
            return Error.Unavailable("The CRM account's settings cannot be decrypted (data-protection keys missing?).");
        return (connector, new CrmContext(account, settings));
    }
}
