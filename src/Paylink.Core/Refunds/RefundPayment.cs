using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Payments;
using Paylink.Core.Providers;
using Paylink.Core.Receipts;

namespace Paylink.Core.Refunds;

public sealed record RefundLinkRequest(long? Amount, string? Reason);

/// <summary>
/// Refunds all or part of a link's captured payment in two steps:
/// <see cref="ReserveAsync"/> writes a Pending refund and reserves its amount on the payment (the payment's
/// concurrency token makes two concurrent reservations unable to exceed captured − refunded); then
/// <see cref="SendAsync"/> asks the gateway, keyed by the refund id, and records the answer. A retry (same
/// Idempotency-Key, or reconciliation) calls <see cref="SendAsync"/> again and resumes a pending refund.
/// </summary>
public sealed class RefundPayment(AppDbContext db, PaymentContextLoader loader, TimeProvider clock, ILogger<RefundPayment> log)
{
    public const int MaxReason = 200;

    public async Task<Result<Refund>> ReserveAsync(string linkId, RefundLinkRequest r, CancellationToken ct)
    {
        if (r.Reason is { Length: > MaxReason }) return Error.Validation("reason", $"reason must be at most {MaxReason} characters.");
        if (r.Amount is <= 0) return Error.Validation("amount", "amount must be a positive integer in minor units.");
        for (var attempt = 0; ; attempt++)
        {
            var loaded = await loader.LoadAsync(linkId, ct);
            if (!loaded.IsSuccess) return loaded.Error!;
            var l = loaded.Value;
            if (l.Payment.Status == PaymentStatus.Authorized) return Error.Conflict("not_captured", "The money is only held; void the hold or capture it first.");
            if (l.Payment.Status == PaymentStatus.Voided) return Error.Conflict("voided", "The hold was released; there is nothing to refund.");
            if (l.Gateway is not IGatewayRefunds) return Error.Conflict("refunds_unsupported", $"Gateway '{l.Account.Provider}' does not support refunds.");
            var left = l.Payment.Refundable;
            if (left <= 0) return Error.Conflict("fully_refunded", "Everything captured has already been refunded (or is being refunded).");
            var amount = r.Amount ?? left;
            if (amount > left) return Error.Validation("amount", $"amount must be at most {left}: captured {l.Payment.CapturedMinor}, already refunded or in progress {l.Payment.RefundedMinor}.");

            string? receiptJson = null;
            if (PaymentContextLoader.ReceiptsApply(l))
            {
                // The refund receipt mirrors the payment receipt's flag (prepayment until settled, then full payment).
                var method = l.Link.SettledAt is null ? l.Fiscal.PaymentMethod : "full_payment";
                receiptJson = JsonSerializer.Serialize(ReceiptBuilder.ForRefund(l.Fiscal, l.Link, l.Customer?.Email, l.Customer?.Phone, amount, method), PaylinkJson.Output);
            }
            l.Payment.ReserveRefund(amount);
            var refund = Refund.Start(l.Payment, amount, r.Reason, receiptJson, clock);
            db.Refunds.Add(refund);
            try
            {
                await db.SaveChangesAsync(ct);
                return refund;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();   // another refund or notification changed the payment: decide again on fresh data
            }
        }
    }

    /// <summary>Sends a pending refund to the gateway and records the answer. A finished refund is returned as is.
    /// An unknown outcome (timeout, 5xx) leaves it pending with its amount reserved.</summary>
    public async Task<Result<Refund>> SendAsync(string refundId, bool resend, CancellationToken ct)
    {
        var refund = await db.Refunds.IgnoreQueryFilters().FirstOrDefaultAsync(x => x.Id == refundId, ct);
        if (refund is null) return Error.NotFound($"Refund '{refundId}'");
        if (refund.Status != RefundStatus.Pending || (refund.SendAttempts > 0 && !resend) || refund.External) return refund;
        var loaded = await loader.LoadAsync(refund.LinkId, ct);
        if (!loaded.IsSuccess) return loaded.Error!;
        var l = loaded.Value;
        var gateway = (IGatewayRefunds)l.Gateway;
        if (refund.SendAttempts > 0 && !gateway.RefundRetrySafe) return refund;   // cannot prove a resend is safe: reconciliation reports it
        refund.Sending();
        await db.SaveChangesAsync(ct);

        var receipt = refund.ReceiptJson is null ? null : JsonSerializer.Deserialize<FiscalReceipt>(refund.ReceiptJson, PaylinkJson.Output);
        var result = await gateway.RefundAsync(l.Context, new RefundRequest(refund.Id, l.Payment.ExternalId, refund.Amount,
            new Money(l.Payment.CapturedMinor, l.Payment.Currency), l.Payment.RefundedMinor - refund.AmountMinor, receipt, refund.Reason), ct);

        for (var attempt = 0; ; attempt++)
        {
            var now = clock.GetUtcNow();
            refund = await db.Refunds.IgnoreQueryFilters().FirstAsync(x => x.Id == refundId, ct);
            var payment = await db.Payments.IgnoreQueryFilters().FirstAsync(p => p.Id == refund.PaymentId, ct);
            var link = await db.PaymentLinks.IgnoreQueryFilters().FirstAsync(x => x.Id == refund.LinkId, ct);
            if (result.IsSuccess && result.Value.Status == GatewayRefundStatus.Succeeded)
            {
                if (refund.Succeed(result.Value.ExternalRefundId, now))
                {
                    var done = await db.Refunds.IgnoreQueryFilters().Where(x => x.PaymentId == payment.Id && x.Status == RefundStatus.Succeeded && x.Id != refund.Id)
                        .SumAsync(x => x.AmountMinor, ct) + refund.AmountMinor;
                    link.ApplyRefunded(done, payment.CapturedMinor);
                    db.LinkEvents.Add(LinkEvent.For(link, LinkEventTypes.Refunded, now, PaymentContextLoader.Json(new { refund = refund.Id, amount = refund.AmountMinor, total = done })));
                }
            }
            else if (result.IsSuccess)
            {
                refund.Accepted(result.Value.ExternalRefundId);
            }
            else if (result.Error!.Kind == ErrorKind.ProviderUnavailable)
            {
                log.LogWarning("Refund {RefundId} outcome unknown ({Error}); it stays pending and reserved", refund.Id, result.Error.Message);
                return refund;
            }
            else if (refund.Fail(result.Error.Message, now))
            {
                payment.ReleaseRefund(refund.AmountMinor);
                db.LinkEvents.Add(LinkEvent.For(link, LinkEventTypes.RefundFailed, now, PaymentContextLoader.Json(new { refund = refund.Id, reason = result.Error.Message })));
            }
            try
            {
                await db.SaveChangesAsync(ct);
                return refund;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }
    }
}
