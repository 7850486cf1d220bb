using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Providers;
using Paylink.Core.Refunds;

namespace Paylink.Core.Payments;

public sealed record ReconcileSummary(int Checked, int Changed, int Unavailable, int Unsupported, IReadOnlyDictionary<string, int> Outcomes,
    IReadOnlyList<string> Notes);

/// <summary>
/// Asks gateways for the state of payments whose notification may have been lost: checkouts left pending,
/// holds, and refunds left pending; applies what they answer through <see cref="ApplyGatewayNotification.ApplyVerifiedAsync"/>
/// (the same dedupe and transitions as a notification). Safe to run at any time and on several instances:
/// each report is deduplicated on (provider, reconcile event id). Meant to run periodically
/// (<c>paylink reconcile</c> today; a periodic job once the job runner is merged).
/// </summary>
public sealed class ReconcilePayments(AppDbContext db, GatewayAccounts accounts, ApplyGatewayNotification apply, RefundPayment refunds,
    TimeProvider clock, ILogger<ReconcilePayments> log)
{
    /// <summary>A checkout younger than this may still be in the customer's hands; not asked about yet.</summary>
    public static readonly TimeSpan MinAge = TimeSpan.FromMinutes(10);
    /// <summary>How far back pending checkouts are looked at.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(7);

    public async Task<ReconcileSummary> RunAsync(string? merchantId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var outcomes = new Dictionary<string, int>();
        var notes = new List<string>();
        int checkedCount = 0, changed = 0, unavailable = 0, unsupported = 0;

        var attempts = (await db.PaymentAttempts.IgnoreQueryFilters().AsNoTracking()
            .Where(a => (merchantId == null || a.MerchantId == merchantId) && a.Status == AttemptStatus.Pending)
            .ToListAsync(ct)).Where(a => a.CreatedAt <= now - MinAge && a.CreatedAt >= now - MaxAge).ToList();
        var held = await db.Payments.IgnoreQueryFilters().AsNoTracking()
            .Where(p => (merchantId == null || p.MerchantId == merchantId) && p.Status == PaymentStatus.Authorized).Select(p => p.AttemptId).ToListAsync(ct);
        var heldAttempts = await db.PaymentAttempts.IgnoreQueryFilters().AsNoTracking().Where(a => held.Contains(a.Id)).ToListAsync(ct);

        foreach (var attempt in attempts.Concat(heldAttempts))
        {
            var (state, account) = await QueryAsync(attempt, ct);
            if (state is null) { unsupported++; continue; }
            checkedCount++;
            if (!state.Value.IsSuccess) { unavailable++; notes.Add($"{attempt.Id}: {state.Value.Error!.Message}"); continue; }
            var s = state.Value.Value;
            var eventId = $"rec:{attempt.Id}:{s.Kind}:{s.RefundedTotal ?? 0}:{s.CapturedAmount ?? 0}";
            var outcome = await apply.ApplyVerifiedAsync(account!, PaymentContextLoader.AsReport(eventId, attempt.Id, s),
                JsonSerializer.Serialize(new { reconcile = true, status = s.RawStatus }), ct);
            db.ChangeTracker.Clear();
            outcomes[outcome.ToString()] = outcomes.GetValueOrDefault(outcome.ToString()) + 1;
            if (outcome is NotificationOutcome.Paid or NotificationOutcome.Failed or NotificationOutcome.Authorized or NotificationOutcome.Voided
                or NotificationOutcome.Refunded or NotificationOutcome.AmountMismatch)
            {
                changed++;
                log.LogWarning("Reconciliation applied {Outcome} to attempt {AttemptId} ({Provider} status {Status}): its notification never arrived",
                    outcome, attempt.Id, attempt.Provider, s.RawStatus);
            }
        }

        // SBP account bindings (T-Bank RequestKey) whose report may have been lost: still without a saved method, or saved and active
        // (the payer's bank may have ended it). Bounded by MaxAge like pending checkouts; later revocations come by notification.
        var binding = (await db.PaymentAttempts.IgnoreQueryFilters().AsNoTracking()
            .Where(a => (merchantId == null || a.MerchantId == merchantId) && a.BindingKey != null && a.Status != AttemptStatus.Created)
            .ToListAsync(ct)).Where(a => a.CreatedAt <= now - MinAge && a.CreatedAt >= now - MaxAge).ToList();
        foreach (var attempt in binding)
        {
            var saved = await db.SavedPaymentMethods.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(m => m.SourceLinkId == attempt.LinkId, ct);
            if (saved is { IsActive: false }) continue;
            var (state, account) = await QueryAsync(attempt, ct, bindingKey: attempt.BindingKey);
            if (state is null) { unsupported++; continue; }
            checkedCount++;
            if (!state.Value.IsSuccess) { unavailable++; notes.Add($"{attempt.Id} binding: {state.Value.Error!.Message}"); continue; }
            if (state.Value.Value.Binding is not { } b || b.Status == SbpBindingStatus.Pending) continue;
            var report = new GatewayNotification($"rec:bind:{attempt.Id}:{b.Status}", attempt.Id, null, NotificationKind.Pending, null, Binding: b);
            var outcome = await apply.ApplyVerifiedAsync(account!, report, JsonSerializer.Serialize(new { reconcile = true, binding = b.RawStatus }), ct);
            db.ChangeTracker.Clear();
            outcomes[outcome.ToString()] = outcomes.GetValueOrDefault(outcome.ToString()) + 1;
            if (outcome is NotificationOutcome.MethodSaved or NotificationOutcome.MethodRevoked) changed++;
        }

        // Refunds whose outcome was unknown: resend where the gateway deduplicates, else ask for the payment's state.
        var pendingRefunds = (await db.Refunds.IgnoreQueryFilters().AsNoTracking()
            .Where(r => (merchantId == null || r.MerchantId == merchantId) && r.Status == RefundStatus.Pending && r.SendAttempts > 0)
            .ToListAsync(ct)).Where(r => r.CreatedAt <= now - TimeSpan.FromMinutes(2)).ToList();
        foreach (var r in pendingRefunds)
        {
            checkedCount++;
            var resent = await refunds.SendAsync(r.Id, resend: true, ct);
            db.ChangeTracker.Clear();
            if (resent.IsSuccess && resent.Value.Status != RefundStatus.Pending) { changed++; continue; }
            var payment = await db.Payments.IgnoreQueryFilters().AsNoTracking().FirstAsync(p => p.Id == r.PaymentId, ct);
            var attempt = await db.PaymentAttempts.IgnoreQueryFilters().AsNoTracking().FirstAsync(a => a.Id == payment.AttemptId, ct);
            var (state, account) = await QueryAsync(attempt, ct, payment.ExternalId);
            if (state is not { IsSuccess: true } || state.Value.Value.RefundedTotal is null)
            {
                notes.Add($"refund {r.Id}: still pending; check it in the gateway's cabinet.");
                continue;
            }
            var s = state.Value.Value;
            var outcome = await apply.ApplyVerifiedAsync(account!, PaymentContextLoader.AsReport($"rec:{attempt.Id}:Refunded:{s.RefundedTotal}", attempt.Id, s),
                JsonSerializer.Serialize(new { reconcile = true, status = s.RawStatus }), ct);
            db.ChangeTracker.Clear();
            if (outcome == NotificationOutcome.Refunded) changed++;
        }
        return new ReconcileSummary(checkedCount, changed, unavailable, unsupported, outcomes, notes);
    }

    private async Task<(Result<GatewayPaymentState>? State, GatewayAccount? Account)> QueryAsync(PaymentAttempt attempt, CancellationToken ct,
        string? externalId = null, string? bindingKey = null)
    {
        var account = await db.GatewayAccounts.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(a => a.Id == attempt.GatewayAccountId, ct);
        if (account is null) return (null, null);
        var opened = accounts.Open(account);
        if (!opened.IsSuccess) return (opened.Error!, account);
        if (opened.Value.Gateway is not IGatewayStateQuery query) return (null, account);
        var payment = await db.Payments.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(p => p.AttemptId == attempt.Id, ct);
        return (await query.GetStateAsync(opened.Value.Context, new StateQuery(attempt.Id, externalId ?? payment?.ExternalId ?? attempt.ExternalId, attempt.Amount, bindingKey), ct), account);
    }
}

public sealed record ReconcileMismatch(string MerchantId, string LinkId, string AttemptId, string Provider, string Ours, string Gateway, string Detail);

/// <summary>
/// The daily report: compares our records of recent payments (paid, held, refunded, pending) with what
/// each gateway reports now, and lists every disagreement. Read-only; <see cref="ReconcilePayments"/> fixes
/// what can be fixed.
/// </summary>
public sealed class ReconciliationReport(AppDbContext db, GatewayAccounts accounts, TimeProvider clock)
{
    public async Task<List<ReconcileMismatch>> BuildAsync(string? merchantId, TimeSpan window, CancellationToken ct)
    {
        var since = clock.GetUtcNow() - window;
        var attempts = (await db.PaymentAttempts.IgnoreQueryFilters().AsNoTracking()
            .Where(a => (merchantId == null || a.MerchantId == merchantId) && a.Status != AttemptStatus.Created)
            .ToListAsync(ct)).Where(a => a.CreatedAt >= since).OrderBy(a => a.Id).ToList();
        var result = new List<ReconcileMismatch>();
        foreach (var a in attempts)
        {
            var account = await db.GatewayAccounts.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(x => x.Id == a.GatewayAccountId, ct);
            if (account is null) continue;
            var opened = accounts.Open(account);
            if (!opened.IsSuccess || opened.Value.Gateway is not IGatewayStateQuery query) continue;
            var payment = await db.Payments.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(p => p.AttemptId == a.Id, ct);
            var link = await db.PaymentLinks.IgnoreQueryFilters().AsNoTracking().FirstAsync(l => l.Id == a.LinkId, ct);
            var state = await query.GetStateAsync(opened.Value.Context, new StateQuery(a.Id, payment?.ExternalId ?? a.ExternalId, a.Amount), ct);
            var ours = payment is null ? $"attempt {a.Status.ToString().ToLowerInvariant()}, link {link.Status.ToWire()}"
                : $"payment {payment.Status.ToString().ToLowerInvariant()} {payment.CapturedMinor}/{payment.AmountMinor} refunded {payment.RefundedMinor}, link {link.Status.ToWire()}";
            if (!state.IsSuccess)
            {
                result.Add(new(a.MerchantId, a.LinkId, a.Id, a.Provider, ours, "unknown", state.Error!.Message));
                continue;
            }
            var s = state.Value;
            var theirs = $"{s.RawStatus} ({s.Kind}) {s.Amount?.Minor}{(s.RefundedTotal is { } rt ? $" refunded {rt}" : "")}";
            var detail = Compare(a, payment, s);
            if (detail is not null) result.Add(new(a.MerchantId, a.LinkId, a.Id, a.Provider, ours, theirs, detail));
        }
        return result;
    }

    private static string? Compare(PaymentAttempt a, Payment? p, GatewayPaymentState s)
    {
        if (s.Amount is { } amt && amt != a.Amount) return $"amount differs: ours {a.AmountMinor} {a.Currency}, gateway {amt.Minor} {amt.Currency}";
        var refunded = p?.RefundedMinor ?? 0;
        return s.Kind switch
        {
            NotificationKind.Succeeded when p is null && a.Status != AttemptStatus.Succeeded => "gateway took the money; we have no payment",
            NotificationKind.Succeeded when p is { Status: PaymentStatus.Authorized } => "gateway captured; we still show a hold",
            NotificationKind.Authorized when p is null && a.Status != AttemptStatus.Succeeded => "gateway holds money; we have no payment",
            NotificationKind.Voided when p is { Status: not PaymentStatus.Voided } => "gateway released the hold; we do not show it voided",
            NotificationKind.Refunded when (s.RefundedTotal ?? 0) != refunded => $"refunded differs: ours {refunded}, gateway {s.RefundedTotal}",
            NotificationKind.Succeeded when p is { Status: PaymentStatus.Captured } && refunded > 0 => $"we refunded {refunded}; gateway shows no refund",
            NotificationKind.Failed when p is not null && p.AttemptId == a.Id => "gateway says failed; we recorded a payment",
            _ => null,
        };
    }
}
