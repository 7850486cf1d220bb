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
    private readonly ProviderAccountSettings<ICrmConnector> _settings = new(connectors, protector, outbound, "CRM");

    public async Task<Result<CrmAccount>> CreateAsync(string merchantId, string? provider, JsonObject? settings, CancellationToken ct)
    {
        if (provider == "builtin") return Error.Validation("provider", "The built-in CRM is always on and needs no account.");
        var connector = _settings.Resolve(provider);
        if (!connector.IsSuccess) return connector.Error!;
        var valid = await _settings.ValidateAsync(connector.Value, settings, ct);
        if (!valid.IsSuccess) return valid.Error!;
        if (await db.CrmAccounts.AnyAsync(a => a.MerchantId == merchantId && a.DeletedAt == null, ct))
            return Error.Conflict("crm_connected", "A CRM is already connected; disconnect it (DELETE) before connecting another.");
        var account = CrmAccount.Create(merchantId, provider!, valid.Value.Protected, clock);
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
        var opened = _settings.Open(found.Value);
        if (!opened.IsSuccess) return opened.Error!;
        var valid = await _settings.MergeAsync(opened.Value.Provider, opened.Value.Settings, settings, ct);
        if (!valid.IsSuccess) return valid.Error!;
        found.Value.ReplaceSettings(valid.Value.Protected);
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
        return new CrmAccountView(a.Id, a.Provider, _settings.Masked(a), urls.Webhook(a.Provider, a.Id), a.CreatedAt, a.LastError, a.LastErrorAt);
    }

    public Result<(ICrmConnector Connector, CrmContext Context)> Open(CrmAccount account)
    {
        var opened = _settings.Open(account);
        if (!opened.IsSuccess) return opened.Error!;
        return (opened.Value.Provider, new CrmContext(account, opened.Value.Settings));
    }
}
