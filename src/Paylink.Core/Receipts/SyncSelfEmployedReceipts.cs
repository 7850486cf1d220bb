using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Messaging;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Payments;
using Paylink.Core.Providers;
using Paylink.Core.Refunds;
using Paylink.Core.Localization;

namespace Paylink.Core.Receipts;

/// <summary>
/// Job <c>npd.sync</c>: brings a self-employed merchant's «Мой налог» receipts for one link's payment in line with
/// the money kept (captured − succeeded refunds). One step at a time, each saved before the tax service is called:
/// <list type="number">
/// <item>no live receipt and money kept → plan one (queued) for that amount;</item>
/// <item>queued → sending (saved) → register; an outage before processing puts it back to queued; a timeout after
/// sending leaves it sending;</item>
/// <item>sending (a previous attempt's answer never came) → look the income up by its tag; found → registered,
/// not found → queued and sent again. It is never re-sent blindly, so a retry cannot double a receipt;</item>
/// <item>registered for another amount than kept (a refund) → cancel it («Возврат средств»), and step 1 plans the
/// next one for what is left (none after a full refund).</item>
/// </list>
/// Idempotent in effect: the steps read the stored state, a claim (lease) keeps two jobs off one receipt, and the
/// unique (payment, sequence) index lets only one job plan the next receipt. A registered receipt's link is sent to
/// the buyer once, in the conversation the payment link was sent in.
/// </summary>
public sealed partial class SyncSelfEmployedReceipts(AppDbContext db, SelfEmployedAccounts accounts, MessageOutbox outbox, TimeProvider clock,
    ILogger<SyncSelfEmployedReceipts> logger) : IJobHandler
{
    public const string JobType = "npd.sync";
    /// <summary>About a day of retries (5 s doubling to 1 h); the periodic sweep picks up anything still waiting after.</summary>
    public static readonly JobRetryPolicy Policy = new(30, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1));
    /// <summary>How long a job holds a receipt while it talks to the tax service (longer than any call with its retries).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    public const string MessageTemplate = "npd_receipt";
    /// <summary>After an unknown outcome, how long to wait before the lookup (a request still in flight at the tax
    /// service must have time to appear in its list, or the lookup would miss it and the receipt be sent twice).</summary>
    public static readonly TimeSpan SettleDelay = TimeSpan.FromMinutes(1);

    public sealed record Payload(string MerchantId, string LinkId);

    public async Task<JobResult> HandleAsync(JobContext job, CancellationToken ct)
    {
        var p = job.Read<Payload>();
        for (var step = 0; step < 8; step++)
        {
            db.ChangeTracker.Clear();
            JobResult? result;
            try { result = await StepAsync(p, ct); }
            catch (DbUpdateConcurrencyException) { return JobResult.Retry("Another job changed this receipt at the same moment; retrying.", TimeSpan.FromSeconds(1)); }
            catch (DbUpdateException ex) when (AppDbContext.IsUniqueViolation(ex))
            {
                return JobResult.Retry("Another job planned this receipt at the same moment; retrying.", TimeSpan.FromSeconds(1));
            }
            if (result is not null) return result;
        }
        return JobResult.Retry("Receipt state still moving after several steps; continuing later.", TimeSpan.FromSeconds(5));
    }

    /// <summary>One step; null when there is more to do, else the job's answer.</summary>
    private async Task<JobResult?> StepAsync(Payload p, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var merchant = await db.Merchants.AsNoTracking().FirstOrDefaultAsync(m => m.Id == p.MerchantId, ct);
        var payment = await db.Payments.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(x => x.LinkId == p.LinkId && x.MerchantId == p.MerchantId, ct);
        if (merchant is null || payment is null) return JobResult.Done;
        var receipts = await db.SelfEmployedReceipts.IgnoreQueryFilters().Where(r => r.PaymentId == payment.Id).OrderBy(r => r.Sequence).ToListAsync(ct);
        // Receipts already under way are finished even if the merchant left НПД since; new ones only for НПД merchants.
        if (!merchant.Fiscal.IsSelfEmployed && receipts.All(r => !r.IsLive)) return JobResult.Done;
        var kept = payment.Status == PaymentStatus.Captured
            ? payment.CapturedMinor - await db.Refunds.IgnoreQueryFilters()
                .Where(r => r.PaymentId == payment.Id && r.Status == RefundStatus.Succeeded).SumAsync(r => r.AmountMinor, ct)
            : 0;
        if (payment.Status == PaymentStatus.Authorized && receipts.Count == 0) return JobResult.Done;   // held, not income yet: capture triggers "paid"

        var live = receipts.LastOrDefault(r => r.IsLive);
        if (live is not null && live.IsClaimed(now))
            return JobResult.Retry($"Receipt {live.Id} is being handled by another job.", live.ClaimedUntil!.Value - now + TimeSpan.FromSeconds(1));

        if (live is null)
        {
            if (kept <= 0 || !merchant.Fiscal.IsSelfEmployed) return JobResult.Done;
            var link = await db.PaymentLinks.IgnoreQueryFilters().AsNoTracking().FirstAsync(l => l.Id == payment.LinkId, ct);
            db.SelfEmployedReceipts.Add(PlanReceipt(merchant, link, payment, receipts.Count == 0 ? 1 : receipts.Max(r => r.Sequence) + 1, kept));
            await db.SaveChangesAsync(ct);
            return null;
        }

        switch (live.Status)
        {
            case SelfEmployedReceiptStatus.Queued when live.AmountMinor != kept:
                // Refunded before it ever reached the tax service: withdraw it without a call; the next step plans the rest.
                live.Cancelled(now);
                await db.SaveChangesAsync(ct);
                return null;
            case SelfEmployedReceiptStatus.Registered when live.AmountMinor == kept:
                await NotifyBuyerAsync(live, ct);
                return JobResult.Done;
        }

        var account = await db.SelfEmployedAccounts.IgnoreQueryFilters().FirstOrDefaultAsync(a => a.MerchantId == p.MerchantId && a.DeletedAt == null, ct);
        if (account is null)
        {
            live.Waiting("«Мой налог» is not connected: the receipt waits until the merchant connects it.");
            await db.SaveChangesAsync(ct);
            NotConnected(logger, p.MerchantId, live.Id);
            return JobResult.Done;   // connecting queues it again
        }
        if (account.LastErrorKind == "credentials")
        {
            // One refused sign-in is enough: more attempts with the same wrong password could get the cabinet locked.
            // Fixing the connection (PUT /self-employed or the dashboard) clears this and queues the receipt again.
            live.Waiting($"Waiting for the merchant to fix the «Мой налог» connection: {account.LastError}");
            await db.SaveChangesAsync(ct);
            return JobResult.Done;
        }
        var opened = accounts.Open(account);
        if (!opened.IsSuccess)
        {
            live.Waiting(opened.Error!.Message);
            await db.SaveChangesAsync(ct);
            return JobResult.Retry(opened.Error.Message);
        }
        var (provider, context) = opened.Value;

        switch (live.Status)
        {
            case SelfEmployedReceiptStatus.Queued:
            {
                live.StartSending(account.Id, now + Lease);
                await db.SaveChangesAsync(ct);
                var outcome = await provider.RegisterAsync(context, Income(live), ct);
                accounts.SaveSession(account, context);
                if (outcome.IsSuccess)
                {
                    live.Registered(outcome.Value.ReceiptId, provider.ReceiptUrl(account.Inn, outcome.Value.ReceiptId), clock.GetUtcNow());
                    account.Succeeded();
                    await db.SaveChangesAsync(ct);
                    Registered(logger, p.MerchantId, live.Id, live.AmountMinor);
                    return null;
                }
                return await FailedAsync(account, live, outcome.Failure!, "register", ct);
            }
            case SelfEmployedReceiptStatus.Sending:
            {
                // The previous attempt's answer never came: look the income up before anything is sent again.
                live.Claim(now + Lease);
                await db.SaveChangesAsync(ct);
                var found = await provider.FindAsync(context, Income(live), ct);
                accounts.SaveSession(account, context);
                if (!found.IsSuccess) return await FailedAsync(account, live, found.Failure!, "lookup", ct);
                if (found.Value is { } f)
                {
                    live.Registered(f.ReceiptId, provider.ReceiptUrl(account.Inn, f.ReceiptId), clock.GetUtcNow());
                    if (f.Cancelled)
                    {
                        // Cancelled by hand in the cabinet meanwhile: record it; the next step plans what is kept again.
                        live.StartCancelling(now);
                        live.Cancelled(clock.GetUtcNow());
                    }
                    Resolved(logger, p.MerchantId, live.Id, true);
                }
                else
                {
                    live.NotSent("The previous attempt was not registered (lookup found no income); sending again.");
                    Resolved(logger, p.MerchantId, live.Id, false);
                }
                account.Succeeded();
                await db.SaveChangesAsync(ct);
                return null;
            }
            case SelfEmployedReceiptStatus.Registered:
            case SelfEmployedReceiptStatus.Cancelling:
            {
                var wasCancelling = live.Status == SelfEmployedReceiptStatus.Cancelling;
                live.StartCancelling(now + Lease);
                await db.SaveChangesAsync(ct);
                if (wasCancelling)
                {
                    // A cancel whose answer never came: it may have been done already.
                    var found = await provider.FindAsync(context, Income(live), ct);
                    accounts.SaveSession(account, context);
                    if (!found.IsSuccess) return await FailedAsync(account, live, found.Failure!, "lookup", ct);
                    if (found.Value is { Cancelled: true })
                    {
                        live.Cancelled(clock.GetUtcNow());
                        await db.SaveChangesAsync(ct);
                        return null;
                    }
                }
                var cancel = await provider.CancelAsync(context, new SelfEmployedCancel(live.ReceiptId!, now, SelfEmployedCancelReason.Refund), ct);
                accounts.SaveSession(account, context);
                if (!cancel.IsSuccess) return await FailedAsync(account, live, cancel.Failure!, "cancel", ct);
                live.Cancelled(clock.GetUtcNow());
                account.Succeeded();
                await db.SaveChangesAsync(ct);
                Cancelled(logger, p.MerchantId, live.Id);
                return null;
            }
            default:
                return JobResult.Done;
        }
    }

    private async Task<JobResult> FailedAsync(SelfEmployedAccount account, SelfEmployedReceipt live, SelfEmployedFailure failure, string operation,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var message = $"{operation}: {failure.Message}";
        switch (failure.Kind)
        {
            case SelfEmployedFailureKind.Unavailable:
                // Known not processed: a queued receipt stays queued, a cancel stays to be confirmed.
                if (live.Status == SelfEmployedReceiptStatus.Sending && operation == "register") live.NotSent(message);
                else live.Waiting(message);
                await db.SaveChangesAsync(ct);
                Transient(logger, account.MerchantId, live.Id, operation, failure.Message);
                return JobResult.Retry(message, failure.RetryAfter);
            case SelfEmployedFailureKind.Unknown:
                live.Unsettled(message + " (outcome unknown; it will be looked up before anything is sent again)", now + SettleDelay);
                await db.SaveChangesAsync(ct);
                Transient(logger, account.MerchantId, live.Id, operation, failure.Message);
                return JobResult.Retry(message, SettleDelay + TimeSpan.FromSeconds(1));
            case SelfEmployedFailureKind.Credentials:
                if (live.Status == SelfEmployedReceiptStatus.Sending && operation == "register") live.NotSent(message);
                else live.Waiting(message);
                account.Failed("credentials", failure.Message, now);
                await db.SaveChangesAsync(ct);
                NeedsPerson(logger, account.MerchantId, live.Id, operation, failure.Message);
                // Nothing is lost: the receipt stays waiting, and fixing the connection queues it again.
                return JobResult.Fail(message);
            default:
                if (live.Status == SelfEmployedReceiptStatus.Sending) live.Fail(message);
                else live.Waiting(message);
                account.Failed("refused", $"{live.Id}: {message}", now);
                await db.SaveChangesAsync(ct);
                NeedsPerson(logger, account.MerchantId, live.Id, operation, failure.Message);
                return JobResult.Fail(message);
        }
    }

    private SelfEmployedReceipt PlanReceipt(Merchants.Merchant merchant, PaymentLink link, Payment payment, int sequence, long amount)
    {
        var lines = ReceiptBuilder.ForPayment(merchant.Fiscal, link, null, null, amount).Items
            .Select(i => new ServiceLine(i.Name, i.PriceMinor, i.Quantity)).ToList();
        var (type, inn, name) = Buyer(link);
        return SelfEmployedReceipt.Plan(merchant.Id, payment.Id, link.Id, sequence, amount, payment.CapturedAt ?? payment.PaidAt,
            JsonSerializer.Serialize(lines, PaylinkJson.Output), type, inn, name, clock);
    }

    /// <summary>A company buyer is named by the link's metadata <c>buyerInn</c> (10 or 12 digits) and <c>buyerName</c>; anyone else is a person.</summary>
    internal static (string Type, string? Inn, string? Name) Buyer(PaymentLink link)
    {
        if (link.MetadataJson is null) return ("individual", null, null);
        var md = JsonSerializer.Deserialize<Dictionary<string, string>>(link.MetadataJson) ?? [];
        if (!md.TryGetValue(BuyerInnKey, out var inn) || !IsInn(inn)) return ("individual", null, null);
        var name = md.TryGetValue(BuyerNameKey, out var n) && !string.IsNullOrWhiteSpace(n) ? n.Trim() : $"ИНН {inn}";
        return ("legal_entity", inn, name.Length > 256 ? name[..256] : name);
    }

    public const string BuyerInnKey = "buyerInn";
    public const string BuyerNameKey = "buyerName";

    public static bool IsInn(string? s) => s is { Length: 10 or 12 } && s.All(char.IsAsciiDigit);

    internal static SelfEmployedIncome Income(SelfEmployedReceipt r)
    {
        var lines = JsonSerializer.Deserialize<List<ServiceLine>>(r.ServicesJson, PaylinkJson.Output) ?? [];
        return new SelfEmployedIncome(r.Id, r.OperationTime, lines.Select(l => new SelfEmployedService(l.Name, l.Amount, l.Quantity)).ToList(),
            r.AmountMinor, r.ClientType == "legal_entity" ? SelfEmployedClientType.LegalEntity : SelfEmployedClientType.Individual, r.ClientInn, r.ClientName);
    }

    /// <summary>Sends the receipt link once, in the conversation the payment link was last sent in (none: the pay page shows it).</summary>
    private async Task NotifyBuyerAsync(SelfEmployedReceipt r, CancellationToken ct)
    {
        if (r.NotifiedAt is not null || r.ReceiptUrl is null) return;
        var sent = await db.ChannelMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.LinkId == r.LinkId && m.MerchantId == r.MerchantId && m.Direction == MessageDirections.Outbound
                && m.Status != MessageStatuses.Failed && m.Template != MessageTemplate)
            .OrderByDescending(m => m.Id).Select(m => m.ConversationId).FirstOrDefaultAsync(ct);
        if (sent is null) return;
        var conversation = await db.Conversations.IgnoreQueryFilters().FirstAsync(c => c.Id == sent, ct);
        outbox.Queue(db, conversation, ReceiptText(conversation.Language, r), r.LinkId, MessageTemplate);
        r.Notified(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
    }

    public static string ReceiptText(string lang, SelfEmployedReceipt r)
    {
        var en = lang == "en";
        var T = Texts.For(lang);
        var money = MoneyFormat.Format(r.Amount, en ? "en" : "ru", withMinor: r.AmountMinor % 100 != 0);
        if (r.Sequence > 1)
            return T.Format("После возврата — новый чек на {0}: {1}", money, r.ReceiptUrl);
        return T.Format("Ваш чек на {0}: {1}", money, r.ReceiptUrl);
    }

    internal sealed record ServiceLine(string Name, long Amount, int Quantity);

    [LoggerMessage(LogLevel.Information, "Merchant {MerchantId}: «Мой налог» receipt {ReceiptId} registered for {Amount} kopecks")]
    private static partial void Registered(ILogger logger, string merchantId, string receiptId, long amount);

    [LoggerMessage(LogLevel.Information, "Merchant {MerchantId}: «Мой налог» receipt {ReceiptId} cancelled")]
    private static partial void Cancelled(ILogger logger, string merchantId, string receiptId);

    [LoggerMessage(LogLevel.Information, "Merchant {MerchantId}: unknown outcome of receipt {ReceiptId} resolved by lookup (found: {Found})")]
    private static partial void Resolved(ILogger logger, string merchantId, string receiptId, bool found);

    [LoggerMessage(LogLevel.Warning, "Merchant {MerchantId}: receipt {ReceiptId} waits, «Мой налог» is not connected")]
    private static partial void NotConnected(ILogger logger, string merchantId, string receiptId);

    [LoggerMessage(LogLevel.Warning, "Merchant {MerchantId}: «Мой налог» {Operation} of receipt {ReceiptId} failed transiently ({Reason}); the job will retry")]
    private static partial void Transient(ILogger logger, string merchantId, string receiptId, string operation, string reason);

    [LoggerMessage(LogLevel.Error, "Merchant {MerchantId}: «Мой налог» {Operation} of receipt {ReceiptId} failed ({Reason}); the merchant must act, the receipt waits")]
    private static partial void NeedsPerson(ILogger logger, string merchantId, string receiptId, string operation, string reason);
}

/// <summary>Queues <c>npd.sync</c> for a self-employed merchant's paid and refunded links, in the SaveChanges that records the money.</summary>
public sealed class SelfEmployedReceiptsReaction(IJobQueue jobs) : ILinkEventReaction
{
    public async ValueTask ReactAsync(AppDbContext db, IReadOnlyList<LinkEvent> added, bool sync, CancellationToken ct)
    {
        Dictionary<string, bool>? npd = null;
        foreach (var e in added)
        {
            if (e.Type is not (LinkEventTypes.Paid or LinkEventTypes.Refunded)) continue;
            npd ??= [];
            if (!npd.TryGetValue(e.MerchantId, out var isNpd))
            {
                var q = db.Merchants.AsNoTracking().Where(m => m.Id == e.MerchantId).Select(m => m.Fiscal.TaxSystem);
                var tax = sync ? q.FirstOrDefault() : await q.FirstOrDefaultAsync(ct);
                npd[e.MerchantId] = isNpd = tax == FiscalCodes.SelfEmployed;
            }
            // A refund of a merchant that left НПД still cancels the receipts it had: the job decides.
            if (isNpd || e.Type == LinkEventTypes.Refunded) jobs.Enqueue(db, SyncSelfEmployedReceipts.JobType, new SyncSelfEmployedReceipts.Payload(e.MerchantId, e.LinkId));
        }
    }
}

/// <summary>
/// Periodic <c>npd.sweep</c>: queues <c>npd.sync</c> for receipts still waiting (an outage longer than a job's retries,
/// a dead job) and for payments whose refunds completed without a link event of their own (a gateway report that
/// settles pending refunds), unless a sync for that link is already queued.
/// </summary>
public sealed class SweepSelfEmployedReceipts(AppDbContext db, IJobQueue jobs, TimeProvider clock) : IPeriodicTask
{
    public const string Name = "npd.sweep";
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(15);
    private const int Batch = 500;

    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var waiting = await db.SelfEmployedReceipts.IgnoreQueryFilters()
            .Where(r => (r.Status == SelfEmployedReceiptStatus.Queued || r.Status == SelfEmployedReceiptStatus.Sending
                || r.Status == SelfEmployedReceiptStatus.Cancelling))
            .Join(db.SelfEmployedAccounts.IgnoreQueryFilters().Where(a => a.DeletedAt == null && (a.LastErrorKind == null || a.LastErrorKind != "credentials")), r => r.MerchantId, a => a.MerchantId, (r, a) => new { r.MerchantId, r.LinkId })
            .Distinct().Take(Batch).ToListAsync(ct);
        var since = now - 2 * Every;
        var refunded = await db.Refunds.IgnoreQueryFilters()
            .Where(r => r.Status == RefundStatus.Succeeded && r.CompletedAt != null && r.CompletedAt >= since)
            .Join(db.SelfEmployedReceipts.IgnoreQueryFilters().Where(x => x.Status == SelfEmployedReceiptStatus.Registered),
                r => r.PaymentId, x => x.PaymentId, (r, x) => new { x.MerchantId, x.LinkId, x.RegisteredAt, r.CompletedAt })
            .Take(Batch).ToListAsync(ct);
        var candidates = waiting.Select(w => (w.MerchantId, w.LinkId))
            .Concat(refunded.Where(r => r.CompletedAt > r.RegisteredAt).Select(r => (r.MerchantId, r.LinkId))).Distinct().ToList();
        if (candidates.Count == 0) return;
        var queued = (await db.Jobs.Where(j => j.Type == SyncSelfEmployedReceipts.JobType && (j.State == JobState.Pending || j.State == JobState.Running))
                .Select(j => j.Payload).Take(10 * Batch).ToListAsync(ct))
            .Select(s => JsonSerializer.Deserialize<SyncSelfEmployedReceipts.Payload>(s, JsonSerializerOptions.Web)?.LinkId).ToHashSet();
        foreach (var (merchantId, linkId) in candidates)
            if (!queued.Contains(linkId)) jobs.Enqueue(db, SyncSelfEmployedReceipts.JobType, new SyncSelfEmployedReceipts.Payload(merchantId, linkId));
        await db.SaveChangesAsync(ct);
    }
}
