using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paylink.Core.Assistance;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Messaging;

namespace Paylink.Providers.Channels.Max;

/// <summary>
/// Periodic task <c>channels.max.poll</c>: for MAX accounts without a webhook subscription (no public HTTPS
/// address to give MAX), fetches GET /updates after the stored marker and hands each update to
/// <see cref="ReceiveChannelMessage"/>, like the webhook. The marker is stored per account (a merchant setting
/// <c>max.poll:{accountId}</c>) only after the batch is stored, so a restart repeats at most one batch, and
/// repeats are dropped by the inbound dedupe. A periodic job: one instance at a time, survives restarts.
/// </summary>
public sealed class MaxLongPolling(AppDbContext db, ChannelAccounts accounts, ReceiveChannelMessage receive, TimeProvider clock,
    ILogger<MaxLongPolling> log) : IPeriodicTask
{
    public const string Name = "channels.max.poll";

    public static string MarkerKind(string accountId) => "max.poll:" + accountId;

    public async Task RunAsync(CancellationToken ct)
    {
        var polled = await db.ChannelAccounts.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.Provider == MaxChannel.ProviderId && a.Enabled && a.DeletedAt == null && a.ProtectedWebhookSecret == null)
            .ToListAsync(ct);
        foreach (var account in polled) await PollAsync(account, ct);
    }

    /// <summary>One GET /updates for one account; returns how many updates were stored.</summary>
    public async Task<int> PollAsync(ChannelAccount account, CancellationToken ct)
    {
        var opened = accounts.Open(account);
        if (!opened.IsSuccess || opened.Value.Channel is not MaxChannel max) return 0;
        var kind = MarkerKind(account.Id);
        var row = await db.MerchantSettings.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(s => s.MerchantId == account.MerchantId && s.Kind == kind, ct);
        long? marker = row is not null && long.TryParse(row.Json, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var m) ? m : null;
        var batch = await max.PollAsync(opened.Value.Context, marker, ct);
        if (batch is null)
        {
            log.LogInformation("MAX long polling of account {AccountId} failed; next run retries", account.Id);
            return 0;
        }
        var stored = 0;
        foreach (var update in batch.Value.Updates)
            if (MaxInbound.Parse(update) is { } inbound && await receive.HandleAsync(account, inbound, ct) != ReceiveOutcome.Duplicate) stored++;
        if (batch.Value.Marker is { } next && next != marker)
        {
            db.ChangeTracker.Clear();
            await MerchantSetting.PutAsync(db, account.MerchantId, kind, next.ToString(CultureInfo.InvariantCulture), clock.GetUtcNow(), ct);
            await db.SaveChangesAsync(ct);
        }
        return stored;
    }
}
