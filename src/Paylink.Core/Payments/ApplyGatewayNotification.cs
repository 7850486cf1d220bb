using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Providers;
using Paylink.Core.Webhooks;

namespace Paylink.Core.Payments;

/// <summary>
/// The one inbound path for gateway notifications: verify (provider) → dedupe on (provider, account, event id) →
/// conditional status update (<see cref="PaymentTransitions"/>), stored in one SaveChanges so the dedupe
/// row and the effect commit together. Reconciliation feeds what it learns from the gateway through
/// <see cref="ApplyVerifiedAsync"/>, the same dedupe and the same transitions.
/// </summary>
public sealed class ApplyGatewayNotification(AppDbContext db, GatewayAccounts accounts, PaymentTransitions transitions, TimeProvider clock,
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
        var outcome = await ApplyVerifiedAsync(account, verified.Value, Encoding.UTF8.GetString(request.Body), ct);
        return (outcome, gateway.NotificationAck);
    }

    /// <summary>Applies a report already verified (a notification, or the gateway's answer to a state query).
    /// Idempotent on (provider, account, event id): per account, because an event id is only unique within one gateway
    /// account, and a merchant signing with its own secret must never be able to pre-empt another's event id.</summary>
    public async Task<NotificationOutcome> ApplyVerifiedAsync(GatewayAccount account, GatewayNotification n, string body, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ApplyOnceAsync(account, n, body, ct);
            }
            catch (DbUpdateException ex) when (attempt < MaxTries && (ex is DbUpdateConcurrencyException || AppDbContext.IsUniqueViolation(ex)))
            {
                db.ChangeTracker.Clear();
                if (await db.InboundEvents.AnyAsync(e => e.Provider == account.Provider && e.AccountId == account.Id && e.EventId == n.EventId, ct))
                    return NotificationOutcome.Duplicate;
                // Another event for the same link won the race; re-read and apply again.
            }
        }
    }

    private async Task<NotificationOutcome> ApplyOnceAsync(GatewayAccount account, GatewayNotification n, string body, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (await db.InboundEvents.AnyAsync(e => e.Provider == account.Provider && e.AccountId == account.Id && e.EventId == n.EventId, ct))
            return NotificationOutcome.Duplicate;

        var outcome = await transitions.ApplyAsync(account, n, now, ct);
        if (outcome == NotificationOutcome.UnknownReference)
        {
            // Matched nothing of ours: keep no dedupe row, so it can never block a later genuine event with this id.
            log.LogWarning("{Provider} report {EventId} for account {AccountId} matches no payment attempt", account.Provider, n.EventId, account.Id);
            return outcome;
        }
        db.InboundEvents.Add(InboundEvent.Create(account.Provider, account.Id, account.MerchantId, n.EventId, body, now, outcome.ToString()));
        await db.SaveChangesAsync(ct);
        if (outcome == NotificationOutcome.AmountMismatch)
            log.LogError("Amount mismatch in {Provider} report {EventId} for attempt {AttemptId}: not marked paid", account.Provider, n.EventId, n.Reference);
        return outcome;
    }
}
