using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Providers;
using Paylink.Core.Webhooks;

namespace Paylink.Core.Payments;

/// <summary>How an accepted notification was handled; every value is answered 2xx so the gateway stops.</summary>
public enum NotificationOutcome { Paid, AlreadyPaid, Duplicate, Failed, Pending, AmountMismatch, UnknownReference }

/// <summary>
/// The one inbound path for gateway notifications: verify (provider) → dedupe on (provider, event id) →
/// conditional status update, stored in one SaveChanges so the dedupe row and the effect commit
/// together. Amounts are matched against our attempt; a payload is never trusted on its own.
/// </summary>
public sealed class ApplyGatewayNotification(AppDbContext db, GatewayAccounts accounts, TimeProvider clock,
    ILogger<ApplyGatewayNotification> log)
{
    private const int MaxTries = 4;

    public async Task<Result<(NotificationOutcome Outcome, string Ack)>> HandleAsync(string provider, string accountId,
        InboundHttpRequest request, CancellationToken ct)
    {
        var account = await db.GatewayAccounts.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(a => a.Id == accountId && a.Provider == provider, ct);
        if (account is null) return Error.NotFound($"Gateway account '{accountId}'");
        var opened = accounts.Open(account);
        if (!opened.IsSuccess) return opened.Error!;
        var (gateway, context) = opened.Value;

        var verified = await gateway.VerifyNotificationAsync(context, request, ct);
        if (!verified.IsSuccess)
        {
            log.LogWarning("Rejected {Provider} notification for account {AccountId}: {Reason}", provider, accountId, verified.Error!.Message);
            return verified.Error!;
        }
        var n = verified.Value;
        var body = Encoding.UTF8.GetString(request.Body);

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var outcome = await ApplyOnceAsync(account, n, body, ct);
                return (outcome, gateway.NotificationAck);
            }
            catch (DbUpdateException ex) when (attempt < MaxTries && (ex is DbUpdateConcurrencyException || AppDbContext.IsUniqueViolation(ex)))
            {
                db.ChangeTracker.Clear();
                if (await db.InboundEvents.AnyAsync(e => e.Provider == provider && e.EventId == n.EventId, ct))
                    return (NotificationOutcome.Duplicate, gateway.NotificationAck);
                // Another event for the same link won the race; re-read and apply again.
            }
        }
    }

    private async Task<NotificationOutcome> ApplyOnceAsync(Payments.GatewayAccount account, GatewayNotification n, string body, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (await db.InboundEvents.AnyAsync(e => e.Provider == account.Provider && e.EventId == n.EventId, ct))
            return NotificationOutcome.Duplicate;

        var outcome = await DecideAsync(account, n, now, ct);
        db.InboundEvents.Add(InboundEvent.Create(account.Provider, account.Id, account.MerchantId, n.EventId, body, now, outcome.ToString()));
        await db.SaveChangesAsync(ct);
        if (outcome == NotificationOutcome.AmountMismatch)
            log.LogError("Amount mismatch in {Provider} notification {EventId} for attempt {AttemptId}: not marked paid", account.Provider, n.EventId, n.Reference);
        return outcome;
    }

    private async Task<NotificationOutcome> DecideAsync(Payments.GatewayAccount account, GatewayNotification n, DateTimeOffset now, CancellationToken ct)
    {
        var attempt = await db.PaymentAttempts.IgnoreQueryFilters()
            .FirstOrDefaultAsync(a => a.Id == n.Reference && a.GatewayAccountId == account.Id, ct);
        if (attempt is null) return NotificationOutcome.UnknownReference;
        var link = await db.PaymentLinks.IgnoreQueryFilters().FirstAsync(l => l.Id == attempt.LinkId, ct);

        switch (n.Kind)
        {
            case NotificationKind.Pending:
                return NotificationOutcome.Pending;
            case NotificationKind.Failed:
                attempt.Fail(n.FailureReason ?? "declined", now);
                db.LinkEvents.Add(LinkEvent.For(link, LinkEventTypes.CheckoutFailed, now,
                    JsonSerializer.Serialize(new { gateway = account.Provider, attempt = attempt.Id, reason = n.FailureReason })));
                return NotificationOutcome.Failed;
        }

        if (n.Amount is not { } paid || paid != attempt.Amount || paid != link.Amount)
        {
            db.LinkEvents.Add(LinkEvent.For(link, LinkEventTypes.PaymentMismatch, now, JsonSerializer.Serialize(new
            {
                gateway = account.Provider, attempt = attempt.Id, expected = attempt.AmountMinor, expectedCurrency = attempt.Currency,
                got = n.Amount?.Minor, gotCurrency = n.Amount?.Currency,
            })));
            return NotificationOutcome.AmountMismatch;
        }

        attempt.Succeed(n.ExternalPaymentId, now);
        var marked = link.MarkPaid(now);
        if (!marked.IsSuccess || !marked.Value)
        {
            // The link was already paid (by this attempt or another one). Never record money twice;
            // a second capture by another attempt is flagged for the merchant to refund.
            var first = await db.Payments.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(p => p.LinkId == link.Id, ct);
            if (first is not null && first.AttemptId != attempt.Id)
                db.LinkEvents.Add(LinkEvent.For(link, "duplicate_payment", now, JsonSerializer.Serialize(new
                {
                    gateway = account.Provider, attempt = attempt.Id, externalId = n.ExternalPaymentId, amount = paid.Minor, currency = paid.Currency,
                })));
            return NotificationOutcome.AlreadyPaid;
        }
        db.Payments.Add(Payment.Record(attempt, n.ExternalPaymentId ?? attempt.ExternalId ?? attempt.Id, paid, now, clock));
        db.LinkEvents.Add(LinkEvent.For(link, LinkEventTypes.Paid, now,
            JsonSerializer.Serialize(new { gateway = account.Provider, attempt = attempt.Id, amount = paid.Minor, currency = paid.Currency })));
        return NotificationOutcome.Paid;
    }
}
