using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Customers;
using Paylink.Core.Data;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Providers;
using Paylink.Core.Refunds;

namespace Paylink.Core.Payments;

/// <summary>How a verified gateway report was handled; every value is answered 2xx so the gateway stops.</summary>
public enum NotificationOutcome
{
    Paid, AlreadyPaid, Duplicate, Failed, Pending, AmountMismatch, UnknownReference, Authorized, Voided, Refunded, Ignored,
    /// <summary>An SBP account binding became active: the method is saved (with the attempt's consent).</summary>
    MethodSaved,
    /// <summary>An SBP account binding became inactive: the saved method is revoked, charges stop.</summary>
    MethodRevoked,
}

/// <summary>
/// The one place where what a gateway says about a payment changes our records, shared by inbound
/// notifications and reconciliation (<see cref="ReconcilePayments"/>), so both move money the same way.
/// Adds to the context without saving; the caller saves together with its dedupe row.
/// Rules: amounts and currency must match our attempt, else nothing is marked and a mismatch event is
/// written; transitions only move forward (a late "paid" cannot un-refund or un-void a link).
/// </summary>
public sealed class PaymentTransitions(AppDbContext db, SecretProtector protector, TimeProvider clock)
{
    /// <summary>The provider of payments that came by bank transfer (matched from a statement); no gateway holds them.</summary>
    public const string BankTransferProvider = "bank_transfer";

    /// <summary>
    /// A bank transfer for <paramref name="link"/> was found in a statement: records it as the link's payment — an attempt
    /// and a <see cref="Payment"/> of provider <see cref="BankTransferProvider"/> with the statement line's key as external
    /// id (unique, so the same transfer is never recorded twice), the link marked paid and its "paid" event, so every
    /// reaction (CRM, notifications, reminders, webhooks, the счёт) runs as for a gateway payment. The amount must be the
    /// link's; a link already paid records nothing (the caller reports the transfer for review). Adds without saving.
    /// </summary>
    public async Task<NotificationOutcome> ApplyBankTransferAsync(PaymentLink link, Money amount, string statementKey, DateTimeOffset now, CancellationToken ct)
    {
        if (amount != link.Amount) return NotificationOutcome.AmountMismatch;
        if (link.PaidAt is not null || await db.Payments.IgnoreQueryFilters().AnyAsync(p => p.LinkId == link.Id, ct)) return NotificationOutcome.AlreadyPaid;
        var attempt = PaymentAttempt.Start(link.MerchantId, link.Id, "", BankTransferProvider, amount, clock);
        attempt.Succeed(statementKey, now);
        db.PaymentAttempts.Add(attempt);
        db.Payments.Add(Payment.Record(attempt, statementKey, amount, now, clock));
        var marked = link.MarkPaid(now);
        if (!marked.IsSuccess || !marked.Value) return NotificationOutcome.AlreadyPaid;
        Event(link, LinkEventTypes.Paid, now, new { gateway = BankTransferProvider, attempt = attempt.Id, amount = amount.Minor, currency = amount.Currency });
        return NotificationOutcome.Paid;
    }

    public async Task<NotificationOutcome> ApplyAsync(GatewayAccount account, GatewayNotification n, DateTimeOffset now, CancellationToken ct)
    {
        var attempt = await FindAttemptAsync(account, n, ct);
        if (attempt is null) return NotificationOutcome.UnknownReference;
        var link = await db.PaymentLinks.IgnoreQueryFilters().FirstAsync(l => l.Id == attempt.LinkId, ct);
        var payment = await db.Payments.IgnoreQueryFilters().FirstOrDefaultAsync(p => p.LinkId == link.Id, ct);
        // SBP autopay at a bank where binding is its own request: the binding report moves the saved method; the payment's own
        // reports never save one for such an attempt (a token in them would not be the account binding's).
        NotificationOutcome? bound = n.Binding is { } binding && attempt.BindingKey == binding.Key
            ? await ApplyBindingAsync(account, attempt, link, binding, now, ct) : null;
        if (attempt.BindingKey is not null) n = n with { SavedMethod = null };

        switch (n.Kind)
        {
            case NotificationKind.Pending:
                return bound ?? NotificationOutcome.Pending;
            case NotificationKind.Failed:
                if (!attempt.Fail(n.FailureReason ?? "declined", now)) return NotificationOutcome.Ignored;
                Event(link, LinkEventTypes.CheckoutFailed, now, new { gateway = account.Provider, attempt = attempt.Id, reason = n.FailureReason });
                return NotificationOutcome.Failed;
            case NotificationKind.Voided:
                return Voided(account, attempt, link, payment, now);
            case NotificationKind.Refunded:
                return await RefundedAsync(account, link, payment, n, now, ct);
        }

        // A report about money we already captured for this attempt changes nothing (late, duplicate, out of order).
        if (payment is not null && payment.AttemptId == attempt.Id && payment.Status != PaymentStatus.Authorized)
            return NotificationOutcome.AlreadyPaid;
        // Some gateways report a partial capture as the payment's new, smaller amount.
        if (n.Kind == NotificationKind.Succeeded && payment is { Status: PaymentStatus.Authorized } held && held.AttemptId == attempt.Id
            && n.Amount is { } capturedAmount && capturedAmount.Currency == held.Currency && capturedAmount.Minor < held.AmountMinor && n.CapturedAmount is null)
            n = n with { Amount = held.Amount, CapturedAmount = capturedAmount.Minor };

        // Authorized or Succeeded: money moved. Never trust it unless it is exactly what we asked for.
        if (n.Amount is not { } paid || paid != attempt.Amount || paid != link.Amount
            || (n.CapturedAmount is { } cap && (cap <= 0 || cap > paid.Minor)))
        {
            Event(link, LinkEventTypes.PaymentMismatch, now, new
            {
                gateway = account.Provider, attempt = attempt.Id, expected = attempt.AmountMinor, expectedCurrency = attempt.Currency,
                got = n.Amount?.Minor, gotCurrency = n.Amount?.Currency, captured = n.CapturedAmount,
            });
            return NotificationOutcome.AmountMismatch;
        }

        if (payment is not null && payment.AttemptId != attempt.Id)
        {
            // The link was already paid by another attempt. Never record money twice; flag it for a refund.
            attempt.Succeed(n.ExternalPaymentId, now);
            Event(link, LinkEventTypes.DuplicatePayment, now, new
            {
                gateway = account.Provider, attempt = attempt.Id, externalId = n.ExternalPaymentId, amount = paid.Minor, currency = paid.Currency,
            });
            return NotificationOutcome.AlreadyPaid;
        }

        await SaveMethodAsync(account, attempt, link, n.SavedMethod, n.Method ?? attempt.Method, ct);

        if (n.Kind == NotificationKind.Authorized && (link.CaptureMode == CaptureMode.Automatic || payment is not null))
        {
            // One-stage payments pass through AUTHORIZED before CONFIRMED; the money is not ours yet.
            // A late AUTHORIZED after capture or void changes nothing.
            return payment is null ? NotificationOutcome.Pending : NotificationOutcome.AlreadyPaid;
        }

        attempt.Succeed(n.ExternalPaymentId, now);
        var externalId = n.ExternalPaymentId ?? attempt.ExternalId ?? attempt.Id;
        if (n.Kind == NotificationKind.Authorized)
        {
            db.Payments.Add(Payment.Record(attempt, externalId, paid, now, clock, authorizedOnly: true, method: n.Method));
            link.MarkAuthorized(now);
            Event(link, LinkEventTypes.Authorized, now, new { gateway = account.Provider, attempt = attempt.Id, amount = paid.Minor, currency = paid.Currency });
            return NotificationOutcome.Authorized;
        }

        var captured = n.CapturedAmount ?? paid.Minor;
        if (payment is null)
        {
            db.Payments.Add(Payment.Record(attempt, externalId, paid, now, clock, captured: captured, method: n.Method));
        }
        else if (!payment.Capture(captured, now))
        {
            return NotificationOutcome.AlreadyPaid;   // already captured or voided: nothing moves back
        }
        var marked = link.MarkPaid(now);
        if (!marked.IsSuccess || !marked.Value) return NotificationOutcome.AlreadyPaid;
        Event(link, LinkEventTypes.Paid, now, new { gateway = account.Provider, attempt = attempt.Id, amount = captured, currency = paid.Currency });
        return NotificationOutcome.Paid;
    }

    private NotificationOutcome Voided(GatewayAccount account, PaymentAttempt attempt, PaymentLink link, Payment? payment, DateTimeOffset now)
    {
        if (payment is null || payment.AttemptId != attempt.Id)
        {
            // Cancelled before any money moved (YooKassa "canceled", T-Bank REVERSED of an unpaid attempt): a failure.
            if (!attempt.Fail("cancelled at the gateway", now)) return NotificationOutcome.Ignored;
            Event(link, LinkEventTypes.CheckoutFailed, now, new { gateway = account.Provider, attempt = attempt.Id, reason = "cancelled at the gateway" });
            return NotificationOutcome.Failed;
        }
        if (!payment.Void()) return NotificationOutcome.Ignored;
        link.MarkVoided(now);
        Event(link, LinkEventTypes.Voided, now, new { gateway = account.Provider, attempt = attempt.Id });
        return NotificationOutcome.Voided;
    }

    /// <summary>
    /// The gateway says <see cref="GatewayNotification.RefundedTotal"/> was refunded in total. Pending refunds
    /// it covers are completed; anything beyond what we know of was made at the gateway and is adopted.
    /// A smaller total (late or out-of-order report) changes nothing.
    /// </summary>
    private async Task<NotificationOutcome> RefundedAsync(GatewayAccount account, PaymentLink link, Payment? payment, GatewayNotification n,
        DateTimeOffset now, CancellationToken ct)
    {
        if (payment is null || payment.Status != PaymentStatus.Captured || n.RefundedTotal is not { } total) return NotificationOutcome.Ignored;
        if (n.Amount is { } a && a.Currency != payment.Currency)
        {
            Event(link, LinkEventTypes.PaymentMismatch, now, new { gateway = account.Provider, refund = true, expectedCurrency = payment.Currency, gotCurrency = a.Currency });
            return NotificationOutcome.AmountMismatch;
        }
        var refunds = await db.Refunds.IgnoreQueryFilters().Where(r => r.PaymentId == payment.Id).OrderBy(r => r.Id).ToListAsync(ct);
        var done = refunds.Where(r => r.Status == RefundStatus.Succeeded).Sum(r => r.AmountMinor);
        var changed = false;
        foreach (var r in refunds.Where(r => r.Status == RefundStatus.Pending))
        {
            if (done + r.AmountMinor > total) break;
            r.Succeed(null, now);
            done += r.AmountMinor;
            changed = true;
        }
        var extra = payment.AdoptExternalRefunds(total);
        if (extra > 0)
        {
            db.Refunds.Add(Refund.Adopted(payment, extra, now, clock));
            done += extra;
            changed = true;
            Event(link, LinkEventTypes.Refunded, now, new { gateway = account.Provider, amount = extra, external = true });
        }
        if (link.ApplyRefunded(done, payment.CapturedMinor)) changed = true;
        return changed ? NotificationOutcome.Refunded : NotificationOutcome.Ignored;
    }

    /// <summary>
    /// An SBP binding report for the attempt that started it. Active with a token: the method is saved with the attempt's consent
    /// (once per link, whatever the order of binding and payment reports). Inactive: the method saved from this link (if any) is
    /// revoked with reason <see cref="SavedPaymentMethod.RevokedByBank"/>. Pending: nothing.
    /// </summary>
    private async Task<NotificationOutcome?> ApplyBindingAsync(GatewayAccount account, PaymentAttempt attempt, PaymentLink link, SbpBinding b,
        DateTimeOffset now, CancellationToken ct)
    {
        switch (b.Status)
        {
            case SbpBindingStatus.Active when !string.IsNullOrEmpty(b.AccountToken):
                if (!await SaveMethodAsync(account, attempt, link, new SavedMethodInfo(b.AccountToken, b.BankName), PayMethod.Sbp, ct))
                    return NotificationOutcome.Ignored;
                Event(link, LinkEventTypes.MethodSaved, now, new { gateway = account.Provider, attempt = attempt.Id, method = "sbp" });
                return NotificationOutcome.MethodSaved;
            case SbpBindingStatus.Inactive:
                var saved = await db.SavedPaymentMethods.IgnoreQueryFilters()
                    .FirstOrDefaultAsync(m => m.SourceLinkId == link.Id && m.GatewayAccountId == account.Id, ct);
                if (saved is null || !saved.Revoke(now, SavedPaymentMethod.RevokedByBank)) return NotificationOutcome.Ignored;
                Event(link, LinkEventTypes.MethodRevoked, now, new { gateway = account.Provider, method = saved.Id, reason = SavedPaymentMethod.RevokedByBank, status = b.RawStatus });
                return NotificationOutcome.MethodRevoked;
            default:
                return null;
        }
    }

    private async Task<PaymentAttempt?> FindAttemptAsync(GatewayAccount account, GatewayNotification n, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(n.Reference) && n.Binding is { Key.Length: > 0 } binding)
            return await db.PaymentAttempts.IgnoreQueryFilters().FirstOrDefaultAsync(a => a.BindingKey == binding.Key && a.GatewayAccountId == account.Id, ct);
        if (!string.IsNullOrEmpty(n.Reference))
            return await db.PaymentAttempts.IgnoreQueryFilters().FirstOrDefaultAsync(a => a.Id == n.Reference && a.GatewayAccountId == account.Id, ct);
        if (string.IsNullOrEmpty(n.ExternalPaymentId)) return null;
        // Reports about refunds may only name the gateway's payment id.
        var payment = await db.Payments.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(p => p.Provider == account.Provider && p.ExternalId == n.ExternalPaymentId && p.GatewayAccountId == account.Id, ct);
        return payment is null ? null
            : await db.PaymentAttempts.IgnoreQueryFilters().FirstOrDefaultAsync(a => a.Id == payment.AttemptId, ct);
    }

    /// <summary>Stores the saved method only when the attempt carries the customer's consent; one per link. False when nothing was stored.</summary>
    private async Task<bool> SaveMethodAsync(GatewayAccount account, PaymentAttempt attempt, PaymentLink link, SavedMethodInfo? saved, PayMethod method,
        CancellationToken ct)
    {
        if (saved is null || attempt.ConsentJson is null || link.CustomerId is null) return false;
        if (await db.SavedPaymentMethods.IgnoreQueryFilters().AnyAsync(m => m.SourceLinkId == link.Id, ct)) return false;
        if (db.SavedPaymentMethods.Local.Any(m => m.SourceLinkId == link.Id)) return false;
        var consent = JsonSerializer.Deserialize<ConsentRecord>(attempt.ConsentJson, PaylinkJson.Output)!;
        db.SavedPaymentMethods.Add(SavedPaymentMethod.Create(link.MerchantId, link.CustomerId, account.Id, account.Provider,
            protector.Protect(saved.Token), saved.Title, link.Id, consent, clock, method == PayMethod.Sbp ? PayMethod.Sbp : PayMethod.Card));
        return true;
    }

    private void Event(PaymentLink link, string type, DateTimeOffset now, object data) =>
        db.LinkEvents.Add(LinkEvent.For(link, type, now, JsonSerializer.Serialize(data)));
}
