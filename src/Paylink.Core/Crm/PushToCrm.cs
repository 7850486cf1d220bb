using Microsoft.EntityFrameworkCore;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Providers;

namespace Paylink.Core.Crm;

/// <summary>
/// Job <c>crm.push</c>: mirrors one deal to the connected external CRM — contact (found by phone/e-mail or
/// created), deal (created once, with our id as origin), the pipeline stage when it changed, and every
/// timeline entry not yet pushed as a comment; a task for the manager on no-show and refund when the
/// settings ask for it. Remote ids are stored per entity (<see cref="CrmRemoteLink"/>) and checked before
/// any create, and a lease on the deal's row keeps two pushes of one deal from running at once, so
/// retries never create duplicates. Transient failures retry through the job; permanent ones go to the
/// account's log and <see cref="CrmAccount.LastError"/>.
/// </summary>
public sealed class PushToCrm(AppDbContext db, CrmAccounts accounts, CrmLog log, TimeProvider clock) : IJobHandler
{
    public const string JobType = "crm.push";
    public static readonly JobRetryPolicy Policy = new(12, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1));
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    public sealed record Payload(string AccountId, string DealId);

    /// <summary>Queues a push of <paramref name="deal"/> to each connected CRM of its merchant (in the caller's SaveChanges).</summary>
    public static async Task EnqueueAsync(AppDbContext db, IJobQueue jobs, Deal deal, CancellationToken ct)
    {
        var ids = await db.CrmAccounts.IgnoreQueryFilters().Where(a => a.MerchantId == deal.MerchantId && a.DeletedAt == null).Select(a => a.Id).ToListAsync(ct);
        foreach (var id in ids) jobs.Enqueue(db, JobType, new Payload(id, deal.Id));
    }

    public async Task<JobResult> HandleAsync(JobContext job, CancellationToken ct)
    {
        var p = job.Read<Payload>();
        var account = await db.CrmAccounts.IgnoreQueryFilters().FirstOrDefaultAsync(a => a.Id == p.AccountId, ct);
        if (account is null || !account.IsActive) return JobResult.Done;
        var deal = await db.Deals.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(d => d.Id == p.DealId, ct);
        if (deal is null) return JobResult.Done;
        var opened = accounts.Open(account);
        if (!opened.IsSuccess) return await log.FailAsync(account, new CrmFailure(false, "settings", opened.Error!.Message), "open", deal.Id, ct);
        var (connector, context) = opened.Value;

        var dealLink = await RemoteLinkAsync(account.Id, "deal", deal.Id, ct);
        if (dealLink is null) return JobResult.Retry("Another push created the deal's row at the same moment.", TimeSpan.FromSeconds(1));
        var now = clock.GetUtcNow();
        var leased = await db.CrmRemoteLinks.Where(l => l.Id == dealLink.Id && (l.LockedUntil == null || l.LockedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.LockedUntil, now + Lease), ct);
        if (leased == 0) return JobResult.Retry("Another push of this deal is running.", TimeSpan.FromSeconds(2));
        try
        {
            return await PushAsync(account, deal, dealLink, connector, context, ct);
        }
        finally
        {
            await db.CrmRemoteLinks.Where(l => l.Id == dealLink.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.LockedUntil, (DateTimeOffset?)null), CancellationToken.None);
        }
    }

    private async Task<JobResult> PushAsync(CrmAccount account, Deal deal, CrmRemoteLink dealLink, ICrmConnector connector, CrmContext context, CancellationToken ct)
    {
        if (dealLink.RemoteId is null)
        {
            var contact = await db.Customers.IgnoreQueryFilters().AsNoTracking().FirstAsync(c => c.Id == deal.ContactId, ct);
            var contactLink = await RemoteLinkAsync(account.Id, "contact", contact.Id, ct);
            if (contactLink is null) return JobResult.Retry("Another push created the contact's row at the same moment.", TimeSpan.FromSeconds(1));
            if (contactLink.RemoteId is null)
            {
                var c = await connector.EnsureContactAsync(context, new CrmContactData(contact.Id, contact.Name, contact.Phone, contact.Email), ct);
                if (!c.IsSuccess) return await log.FailAsync(account, c.Failure!, "contact", deal.Id, ct);
                contactLink.Resolve(c.Value);
                log.Info(account, "contact", $"Contact {contact.Id} is {c.Value} at the CRM.", deal.Id);
                await db.SaveChangesAsync(ct);
            }
            // An earlier attempt may have created the deal and died before storing its id: look it up by origin first.
            var found = await connector.FindDealAsync(context, deal.Id, ct);
            if (!found.IsSuccess) return await log.FailAsync(account, found.Failure!, "deal.find", deal.Id, ct);
            var remoteId = found.Value;
            if (remoteId is null)
            {
                var created = await connector.CreateDealAsync(context, new CrmDealData(deal.Id, deal.Title, deal.Amount, deal.Title, deal.Stage), contactLink.RemoteId!, ct);
                if (!created.IsSuccess) return await log.FailAsync(account, created.Failure!, "deal.add", deal.Id, ct);
                remoteId = created.Value;
                log.Info(account, "deal.add", $"Deal {deal.Id} created at the CRM as {remoteId}.", deal.Id);
            }
            dealLink.Resolve(remoteId);
            await db.SaveChangesAsync(ct);
        }

        var entries = await db.TimelineEntries.IgnoreQueryFilters().AsNoTracking().Where(t => t.DealId == deal.Id).OrderBy(t => t.Id).ToListAsync(ct);
        var ids = entries.Select(e => e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var pushed = (await db.CrmRemoteLinks.Where(l => l.AccountId == account.Id && l.EntityType == "comment" && ids.Contains(l.LocalId))
            .Select(l => l.LocalId).ToListAsync(ct)).ToHashSet();
        var pending = entries.Where(e => !pushed.Contains(e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).Take(40).ToList();
        DealStage? stage = dealLink.PushedStage == deal.Stage.ToWire() ? null : deal.Stage;
        if (stage is not null || pending.Count > 0)
        {
            var updated = await connector.UpdateDealAsync(context, dealLink.RemoteId!, stage, pending.Select(e => e.Text).ToList(), ct);
            if (!updated.IsSuccess) return await log.FailAsync(account, updated.Failure!, "deal.update", deal.Id, ct);
            var now = clock.GetUtcNow();
            for (var i = 0; i < pending.Count; i++)
            {
                var row = CrmRemoteLink.Claim(account.Id, "comment", pending[i].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), now);
                if (i < updated.Value.Count) row.Resolve(updated.Value[i]);
                db.CrmRemoteLinks.Add(row);
            }
            if (stage is { } s) dealLink.StagePushed(s);
            log.Info(account, "deal.update", $"Deal {dealLink.RemoteId}: {(stage is null ? "stage unchanged" : "stage " + stage.Value.ToWire())}, {pending.Count} comment(s).", deal.Id);
        }

        if (stage is DealStage.NoShow or DealStage.Refunded && context.Settings["createTasks"]?.GetValue<bool>() == true)
        {
            var key = $"{deal.Id}:{stage.Value.ToWire()}";
            if (!await db.CrmRemoteLinks.AnyAsync(l => l.AccountId == account.Id && l.EntityType == "task" && l.LocalId == key, ct))
            {
                var (title, text) = stage == DealStage.NoShow
                    ? ("Клиент не пришёл", $"Связаться с клиентом по сделке «{deal.Title}»: не пришёл на запись.")
                    : ("Возврат оплаты", $"По сделке «{deal.Title}» оформлен возврат; проверьте, что клиент получил деньги.");
                var task = await connector.AddTaskAsync(context, dealLink.RemoteId!, title, text, ct);
                if (!task.IsSuccess) return await log.FailAsync(account, task.Failure!, "task.add", deal.Id, ct);
                var row = CrmRemoteLink.Claim(account.Id, "task", key, clock.GetUtcNow());
                row.Resolve(task.Value);
                db.CrmRemoteLinks.Add(row);
            }
        }
        account.Succeeded();
        await db.SaveChangesAsync(ct);
        return JobResult.Done;
    }

    /// <summary>The row for (account, type, local id), created (claimed, remote id null) when missing; null when a concurrent job inserted it first.</summary>
    private async Task<CrmRemoteLink?> RemoteLinkAsync(string accountId, string type, string localId, CancellationToken ct)
    {
        var row = await db.CrmRemoteLinks.FirstOrDefaultAsync(l => l.AccountId == accountId && l.EntityType == type && l.LocalId == localId, ct);
        if (row is not null) return row;
        row = CrmRemoteLink.Claim(accountId, type, localId, clock.GetUtcNow());
        db.CrmRemoteLinks.Add(row);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException ex) when (AppDbContext.IsUniqueViolation(ex))
        {
            db.ChangeTracker.Clear();
            return null;
        }
        return row;
    }
}
