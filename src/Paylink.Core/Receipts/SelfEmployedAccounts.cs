using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Providers;

namespace Paylink.Core.Receipts;

public sealed record SelfEmployedAccountView(string Id, string Provider, string Inn, JsonObject Settings, DateTimeOffset CreatedAt,
    string? LastError, string? LastErrorKind, DateTimeOffset? LastErrorAt);

/// <summary>
/// Connects, shows, tests and disconnects a self-employed merchant's «Мой налог» account (one active at a time).
/// Mirrors <see cref="Crm.CrmAccounts"/>: settings validated by the provider, stored encrypted, shown masked.
/// Connecting signs in once, so a wrong password is refused at once with a clear message, and then queues every
/// receipt that was waiting (for a connection or for fixed credentials): nothing paid meanwhile is lost.
/// </summary>
public sealed class SelfEmployedAccounts(AppDbContext db, ProviderRegistry<ISelfEmployedReceipts> providers, SecretProtector protector,
    TimeProvider clock, IJobQueue jobs, OutboundSettings outbound)
{
    public const string DefaultProvider = "moynalog";

    private readonly ProviderAccountSettings<ISelfEmployedReceipts> _settings = new(providers, protector, outbound, "receipt provider");

    public async Task<Result<SelfEmployedAccount>> ConnectAsync(string merchantId, string? provider, JsonObject? settings, CancellationToken ct)
    {
        provider ??= DefaultProvider;
        var resolved = _settings.Resolve(provider);
        if (!resolved.IsSuccess) return resolved.Error!;
        var p = resolved.Value;
        if (settings is null) return Error.Validation("settings", "settings is required: {inn, password} or {refreshToken, deviceId}.");
        var validated = await _settings.ValidateAsync(p, settings, ct);
        if (!validated.IsSuccess) return validated.Error!;
        var valid = validated.Value.Clear;

        var account = await db.SelfEmployedAccounts.FirstOrDefaultAsync(a => a.MerchantId == merchantId && a.DeletedAt == null, ct);
        var inn = p.InnOf(valid);
        var protectedSettings = validated.Value.Protected;
        if (account is null)
        {
            account = SelfEmployedAccount.Create(merchantId, provider, inn, protectedSettings, clock);
            db.SelfEmployedAccounts.Add(account);
        }
        else if (account.Provider != provider)
            return Error.Conflict("npd_connected", $"A '{account.Provider}' account is connected; disconnect it (DELETE) before connecting '{provider}'.");
        else account.ReplaceSettings(inn, protectedSettings);

        // Sign in now: wrong credentials are the merchant's to fix while they are looking at the form.
        var context = new SelfEmployedContext(account, valid, null);
        var test = await p.TestAsync(context, ct);
        if (!test.IsSuccess && test.Failure!.Kind == SelfEmployedFailureKind.Credentials)
            return Error.Validation("settings", $"«Мой налог» refused these credentials: {test.Failure.Message}");
        if (!test.IsSuccess) account.Failed("unavailable", $"Saved, but «Мой налог» could not be reached to check them: {test.Failure!.Message}", clock.GetUtcNow());
        else
        {
            if (!string.IsNullOrEmpty(test.Value) && test.Value != inn) account.ReplaceSettings(test.Value, protectedSettings);
            account.Succeeded();
        }
        SaveSession(account, context);
        await RequeueWaitingAsync(merchantId, ct);
        await db.SaveChangesAsync(ct);
        return account;
    }

    public async Task<Result<SelfEmployedAccount>> FindAsync(CancellationToken ct) =>
        await db.SelfEmployedAccounts.FirstOrDefaultAsync(a => a.DeletedAt == null, ct) is { } a ? a : Error.NotFound("«Мой налог» connection");

    public async Task<Result<SelfEmployedAccount>> DisconnectAsync(CancellationToken ct)
    {
        var found = await FindAsync(ct);
        if (!found.IsSuccess) return found;
        found.Value.Delete(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return found.Value;
    }

    public async Task<Result<string>> TestAsync(CancellationToken ct)
    {
        var found = await FindAsync(ct);
        if (!found.IsSuccess) return found.Error!;
        var opened = Open(found.Value);
        if (!opened.IsSuccess) return opened.Error!;
        var r = await opened.Value.Provider.TestAsync(opened.Value.Context, ct);
        SaveSession(found.Value, opened.Value.Context);
        if (r.IsSuccess)
        {
            // The cabinet accepts the sign-in again (the password was changed back): resume what waited for it.
            if (found.Value.LastErrorKind == "credentials") await RequeueWaitingAsync(found.Value.MerchantId, ct);
            found.Value.Succeeded();
        }
        else if (r.Failure!.Kind is SelfEmployedFailureKind.Credentials) found.Value.Failed("credentials", r.Failure.Message, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        if (r.IsSuccess) return r.Value;
        return r.Failure!.Kind is SelfEmployedFailureKind.Unavailable or SelfEmployedFailureKind.Unknown
            ? Error.Unavailable(r.Failure.Message) : Error.Conflict("npd_test_failed", r.Failure.Message);
    }

    public SelfEmployedAccountView View(SelfEmployedAccount a)
    {
        return new SelfEmployedAccountView(a.Id, a.Provider, a.Inn, _settings.Masked(a), a.CreatedAt, a.LastError, a.LastErrorKind, a.LastErrorAt);
    }

    public Result<(ISelfEmployedReceipts Provider, SelfEmployedContext Context)> Open(SelfEmployedAccount account)
    {
        var opened = _settings.Open(account);
        if (!opened.IsSuccess) return opened.Error!;
        return (opened.Value.Provider, new SelfEmployedContext(account, opened.Value.Settings, _settings.Decrypt(account.ProtectedSession)));
    }

    /// <summary>Stores a session the provider replaced (new access or refresh token), encrypted; not saved.</summary>
    public void SaveSession(SelfEmployedAccount account, SelfEmployedContext context)
    {
        if (context.SessionChanged) account.ReplaceSession(context.Session is null ? null : _settings.Protect(context.Session));
    }

    /// <summary>Queues <c>npd.sync</c> for every payment of the merchant whose receipt waits (queued, or sending with an
    /// unknown outcome, or a cancel not confirmed), so a new connection or fixed credentials resume them. Not saved.</summary>
    public async Task RequeueWaitingAsync(string merchantId, CancellationToken ct)
    {
        var links = await db.SelfEmployedReceipts.IgnoreQueryFilters()
            .Where(r => r.MerchantId == merchantId && (r.Status == SelfEmployedReceiptStatus.Queued || r.Status == SelfEmployedReceiptStatus.Sending
                || r.Status == SelfEmployedReceiptStatus.Cancelling))
            .Select(r => r.LinkId).Distinct().ToListAsync(ct);
        foreach (var linkId in links) jobs.Enqueue(db, SyncSelfEmployedReceipts.JobType, new SyncSelfEmployedReceipts.Payload(merchantId, linkId));
    }
}
