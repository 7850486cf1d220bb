using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Customers;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Providers;

namespace Paylink.Core.Crm;

/// <summary>
/// Sends a link issued from CRM data to the customer. The default leaves the manager a task with the
/// link; a message channel (Telegram, SMS, e-mail) replaces this registration to send it by itself.
/// Called inside the unit of work that records the link on the deal (add rows or jobs, do not send here).
/// </summary>
public interface IIssuedLinkSender
{
    Task SendAsync(AppDbContext db, Deal deal, PaymentLink link, CancellationToken ct);
}

public sealed class ManagerTaskLinkSender(PublicUrls urls, TimeProvider clock) : IIssuedLinkSender
{
    public Task SendAsync(AppDbContext db, Deal deal, PaymentLink link, CancellationToken ct)
    {
        db.CrmTasks.Add(CrmTask.Create(deal.MerchantId, deal.Id,
            $"Отправить клиенту ссылку на оплату {MoneyFormat.Format(link.Amount)}: {urls.PayPage(link.Code)}", null, clock));
        return Task.CompletedTask;
    }
}

/// <summary>
/// Job <c>crm.inbound</c>: a remote deal changed (an event or the reconciliation saw it). When it sits in the
/// configured "issue invoice" stage and has no link yet, Paylink reads it (deal, contact, product rows),
/// creates a payment link from its products or amount for its contact, records the link on the local
/// deal (mapped to the remote one) and hands it to <see cref="IIssuedLinkSender"/>. Idempotent: a deal
/// with a link, or an open link already made for the remote deal's order, is not issued again.
/// </summary>
public sealed class IssueLinkFromCrm(AppDbContext db, CrmAccounts accounts, CrmLog log, CreatePaymentLink createLink,
    IIssuedLinkSender sender, TimeProvider clock) : IJobHandler
{
    public const string JobType = "crm.inbound";
    public static readonly JobRetryPolicy Policy = new(10, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1));

    public sealed record Payload(string AccountId, string RemoteDealId);

    public async Task<JobResult> HandleAsync(JobContext job, CancellationToken ct)
    {
        var p = job.Read<Payload>();
        var account = await db.CrmAccounts.IgnoreQueryFilters().FirstOrDefaultAsync(a => a.Id == p.AccountId, ct);
        if (account is null || !account.IsActive) return JobResult.Done;
        var opened = accounts.Open(account);
        if (!opened.IsSuccess) return await log.FailAsync(account, new CrmFailure(false, "settings", opened.Error!.Message), "open", null, ct);
        var (connector, context) = opened.Value;
        var issueStage = context.Settings["stages"]?["issueInvoice"]?.GetValue<string>();
        if (issueStage is null) return JobResult.Done;

        var mapped = await db.CrmRemoteLinks.AsNoTracking().FirstOrDefaultAsync(l => l.AccountId == account.Id && l.EntityType == "deal" && l.RemoteId == p.RemoteDealId, ct);
        var local = mapped is null ? null : await db.Deals.IgnoreQueryFilters().FirstOrDefaultAsync(d => d.Id == mapped.LocalId, ct);
        if (local?.LinkId is not null) return JobResult.Done;

        var got = await connector.GetDealAsync(context, p.RemoteDealId, ct);
        if (!got.IsSuccess) return await log.FailAsync(account, got.Failure!, "deal.get", local?.Id, ct);
        var remote = got.Value;
        if (remote.Stage != issueStage) return JobResult.Done;

        var phone = remote.Phones.Select(ContactFormats.NormalizePhone).FirstOrDefault(x => x is not null);
        var email = remote.Emails.Select(e => e.Trim()).FirstOrDefault(ContactFormats.IsValidEmail);
        if (phone is null && email is null)
            return await log.FailAsync(account, new CrmFailure(false, "no_contact", $"Deal {remote.Id} has no contact with a valid phone or e-mail; cannot issue a link."), "link.issue", local?.Id, ct);
        if (remote.Amount.Minor <= 0)
            return await log.FailAsync(account, new CrmFailure(false, "no_amount", $"Deal {remote.Id} has no amount or products; cannot issue a link."), "link.issue", local?.Id, ct);

        var orderRef = $"b24-{remote.Id}";
        var merchantId = account.MerchantId;
        var now = clock.GetUtcNow();
        // The local deal and its mapping come first, so the link's own CRM events find this deal (link
        // metadata dealId) and a push never creates a second remote deal for it.
        if (local is null)
        {
            var contact = await CustomerDirectory.FindOrCreateAsync(db, merchantId, remote.ContactName, phone, email, clock, ct);
            var title = string.IsNullOrWhiteSpace(remote.Title) ? $"Сделка {remote.Id}" : remote.Title;
            local = Deal.Create(merchantId, contact.Id, title, remote.Amount, account.Provider, clock);
            db.Deals.Add(local);
            var row = CrmRemoteLink.Claim(account.Id, "deal", local.Id, now);
            row.Resolve(remote.Id);
            db.CrmRemoteLinks.Add(row);
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException ex) when (AppDbContext.IsUniqueViolation(ex))
            {
                return JobResult.Retry("A concurrent event for this deal won the race; retrying.", TimeSpan.FromSeconds(1));
            }
        }
        var link = await db.PaymentLinks.IgnoreQueryFilters()
            .Where(l => l.MerchantId == merchantId && l.OrderRef == orderRef && l.Status == LinkStatus.Open && l.ExpiresAt > now).FirstOrDefaultAsync(ct);
        if (link is null)
        {
            var items = remote.Products.Count > 0
                ? remote.Products.Select(r => new LinkItemInput(r.Name, r.Quantity, r.PriceMinor * r.Quantity)).ToList()
                : null;
            var created = await createLink.HandleAsync(merchantId, new CreatePaymentLinkRequest(
                Amount: items is null ? remote.Amount.Minor : null, Currency: remote.Amount.Currency, Description: local.Title,
                Customer: new CustomerInput(remote.ContactName, phone, email), Items: items, OrderId: orderRef,
                Metadata: new Dictionary<string, string> { ["dealId"] = local.Id, ["crm"] = account.Provider, ["crmDealId"] = remote.Id }), ct);
            if (!created.IsSuccess)
                return await log.FailAsync(account, new CrmFailure(false, created.Error!.Code, created.Error.Message), "link.issue", local.Id, ct);
            link = created.Value;
        }
        local.AttachLink(link.Id, link.Amount, now);
        await sender.SendAsync(db, local, link, ct);
        log.Info(account, "link.issue", $"Link {link.Id} issued for deal {remote.Id}.", local.Id);
        await db.SaveChangesAsync(ct);
        return JobResult.Done;
    }
}

/// <summary>
/// Periodic task <c>crm.reconcile</c>: Bitrix24 never resends an event its handler missed, so every
/// connected account is asked for deals modified since the last run that sit in the "issue invoice"
/// stage, and each is queued as if its event had come (<see cref="IssueLinkFromCrm"/> is idempotent).
/// </summary>
public sealed class ReconcileCrmDeals(AppDbContext db, CrmAccounts accounts, CrmLog log, IJobQueue jobs, TimeProvider clock) : IPeriodicTask
{
    public const string Name = "crm.reconcile";
    /// <summary>Overlap with the previous window, for clock skew between us and the portal.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromMinutes(5);

    public async Task RunAsync(CancellationToken ct)
    {
        var list = await db.CrmAccounts.IgnoreQueryFilters().Where(a => a.DeletedAt == null).ToListAsync(ct);
        foreach (var account in list)
        {
            var opened = accounts.Open(account);
            if (!opened.IsSuccess) continue;
            var (connector, context) = opened.Value;
            if (context.Settings["stages"]?["issueInvoice"] is null) continue;
            var now = clock.GetUtcNow();
            var deals = await connector.ListDealsToInvoiceAsync(context, account.ReconciledUntil - Overlap, ct);
            if (!deals.IsSuccess) { await log.FailAsync(account, deals.Failure!, "reconcile", null, ct); continue; }
            foreach (var id in deals.Value) jobs.Enqueue(db, IssueLinkFromCrm.JobType, new IssueLinkFromCrm.Payload(account.Id, id));
            account.Reconciled(now);
            if (deals.Value.Count > 0) log.Info(account, "reconcile", $"{deals.Value.Count} deal(s) in the issue-invoice stage re-checked.", null);
            await db.SaveChangesAsync(ct);
        }
    }
}
