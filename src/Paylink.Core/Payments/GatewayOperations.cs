using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Customers;
using Paylink.Core.Data;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Providers;
using Paylink.Core.Receipts;

namespace Paylink.Core.Payments;

/// <summary>Loads what an operation on a link's payment needs: link, payment, account, gateway, customer, merchant fiscal settings.</summary>
public sealed class PaymentContextLoader(AppDbContext db, GatewayAccounts accounts)
{
    public sealed record Loaded(PaymentLink Link, Payment Payment, GatewayAccount Account, IPaymentGateway Gateway, GatewayContext Context,
        FiscalSettings Fiscal, Customer? Customer);

    public async Task<Result<Loaded>> LoadAsync(string linkId, CancellationToken ct)
    {
        var link = await db.PaymentLinks.FirstOrDefaultAsync(l => l.Id == linkId, ct);
        if (link is null) return Error.NotFound($"Link '{linkId}'");
        var payment = await db.Payments.IgnoreQueryFilters().FirstOrDefaultAsync(p => p.LinkId == link.Id, ct);
        if (payment is null) return Error.Conflict("link_not_paid", $"The link is {link.Status.ToWire()}; there is no payment to act on.");
        if (payment.Provider == PaymentTransitions.BankTransferProvider)
            return Error.Conflict("bank_transfer", "This payment came by bank transfer (a matched statement line); no gateway holds it: return money by a transfer from your bank.");
        var account = await db.GatewayAccounts.IgnoreQueryFilters().AsNoTracking().FirstAsync(a => a.Id == payment.GatewayAccountId, ct);
        var opened = accounts.Open(account);
        if (!opened.IsSuccess) return opened.Error!;
        var merchant = await db.Merchants.AsNoTracking().FirstAsync(m => m.Id == link.MerchantId, ct);
        var customer = link.CustomerId is null ? null
            : await db.Customers.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(c => c.Id == link.CustomerId, ct);
        return new Loaded(link, payment, account, opened.Value.Gateway, opened.Value.Context, merchant.Fiscal, customer);
    }

    public static bool ReceiptsApply(Loaded l) => l.Fiscal.GatewayReceipts && l.Link.Currency == "RUB";

    public static GatewayNotification AsReport(string eventId, string attemptId, GatewayPaymentState s) =>
        new(eventId, attemptId, s.ExternalPaymentId, s.Kind, s.Amount, s.FailureReason, s.SavedMethod, s.RefundedTotal, s.CapturedAmount, s.Method, s.Binding);

    public static string Json(object o) => JsonSerializer.Serialize(o, PaylinkJson.Output);
}

public sealed record CaptureRequestInput(long? Amount);

/// <summary>Captures (all or part of) the money held for a manual-capture link. The gateway's answer goes
/// through the same transitions as a notification; a repeat after success answers the captured link.</summary>
public sealed class CapturePayment(PaymentContextLoader loader, ApplyGatewayNotification apply, AppDbContext db)
{
    public async Task<Result<PaymentLink>> HandleAsync(string linkId, CaptureRequestInput input, CancellationToken ct)
    {
        var loaded = await loader.LoadAsync(linkId, ct);
        if (!loaded.IsSuccess) return loaded.Error!;
        var l = loaded.Value;
        if (l.Payment.Status == PaymentStatus.Captured) return l.Link;
        if (l.Payment.Status != PaymentStatus.Authorized) return Error.Conflict("not_authorized", "Only held money can be captured; this hold was released.");
        if (l.Gateway is not IGatewayHolds holds) return Error.Conflict("capture_unsupported", $"Gateway '{l.Account.Provider}' does not support holds.");
        var amount = input.Amount ?? l.Payment.AmountMinor;
        if (amount <= 0 || amount > l.Payment.AmountMinor)
            return Error.Validation("amount", $"amount must be between 1 and the held {l.Payment.AmountMinor}.");
        var receipt = PaymentContextLoader.ReceiptsApply(l)
            ? ReceiptBuilder.ForPayment(l.Fiscal, l.Link, l.Customer?.Email, l.Customer?.Phone, amount) : null;
        var state = await holds.CaptureAsync(l.Context, new CaptureRequest($"{l.Payment.Id}-capture", l.Payment.ExternalId,
            new Money(amount, l.Payment.Currency), l.Payment.Amount, receipt), ct);
        if (!state.IsSuccess) return state.Error!;
        await apply.ApplyVerifiedAsync(l.Account, PaymentContextLoader.AsReport($"capture:{l.Payment.Id}", l.Payment.AttemptId, state.Value),
            PaymentContextLoader.Json(new { operation = "capture", amount }), ct);
        db.ChangeTracker.Clear();
        return await db.PaymentLinks.FirstAsync(x => x.Id == linkId, ct);
    }
}

/// <summary>Releases the money held for a manual-capture link.</summary>
public sealed class VoidPayment(PaymentContextLoader loader, ApplyGatewayNotification apply, AppDbContext db)
{
    public async Task<Result<PaymentLink>> HandleAsync(string linkId, CancellationToken ct)
    {
        var loaded = await loader.LoadAsync(linkId, ct);
        if (!loaded.IsSuccess) return loaded.Error!;
        var l = loaded.Value;
        if (l.Payment.Status == PaymentStatus.Voided) return l.Link;
        if (l.Payment.Status != PaymentStatus.Authorized) return Error.Conflict("already_captured", "The money was captured; refund it instead of voiding.");
        if (l.Gateway is not IGatewayHolds holds) return Error.Conflict("void_unsupported", $"Gateway '{l.Account.Provider}' does not support holds.");
        var state = await holds.VoidAsync(l.Context, new VoidRequest($"{l.Payment.Id}-void", l.Payment.ExternalId, l.Payment.Amount), ct);
        if (!state.IsSuccess) return state.Error!;
        await apply.ApplyVerifiedAsync(l.Account, PaymentContextLoader.AsReport($"void:{l.Payment.Id}", l.Payment.AttemptId, state.Value),
            PaymentContextLoader.Json(new { operation = "void" }), ct);
        db.ChangeTracker.Clear();
        return await db.PaymentLinks.FirstAsync(x => x.Id == linkId, ct);
    }
}

/// <summary>
/// Issues the closing receipt (settlement of prepayment, 54-FZ) for a prepaid link when the service was
/// rendered. Called by the API (<c>POST /api/v1/links/{id}/settle</c>); the booking/CRM "visit done"
/// trigger will call it too. Idempotent: a settled link answers as it is.
/// </summary>
public sealed class SettleLink(PaymentContextLoader loader, AppDbContext db, TimeProvider clock)
{
    public async Task<Result<PaymentLink>> HandleAsync(string linkId, CancellationToken ct)
    {
        var loaded = await loader.LoadAsync(linkId, ct);
        if (!loaded.IsSuccess) return loaded.Error!;
        var l = loaded.Value;
        if (l.Link.SettledAt is not null) return l.Link;
        if (!PaymentContextLoader.ReceiptsApply(l)) return Error.Conflict("receipts_off", "The merchant does not issue 54-FZ receipts for this link.");
        if (l.Fiscal.PaymentMethod == "full_payment")
            return Error.Conflict("not_prepaid", "The payment receipt was already a full payment (full_payment); no closing receipt is needed.");
        if (l.Link.Status is not (LinkStatus.Paid or LinkStatus.PartiallyRefunded))
            return Error.Conflict("not_settleable", $"The link is {l.Link.Status.ToWire()}; only a paid link can be settled.");
        if (l.Gateway is not IGatewayClosingReceipts closing)
            return Error.Conflict("closing_receipts_unsupported", $"Gateway '{l.Account.Provider}' cannot issue closing receipts.");
        var amount = l.Payment.CapturedMinor - l.Payment.RefundedMinor;
        var receipt = ReceiptBuilder.ForSettlement(l.Fiscal, l.Link, l.Customer?.Email, l.Customer?.Phone, amount);
        var sent = await closing.SendClosingReceiptAsync(l.Context, new ClosingReceiptRequest($"{l.Payment.Id}-settle", l.Payment.ExternalId, receipt), ct);
        if (!sent.IsSuccess) return sent.Error!;
        var now = clock.GetUtcNow();
        l.Link.MarkSettled(now);
        db.LinkEvents.Add(LinkEvent.For(l.Link, LinkEventTypes.Settled, now, PaymentContextLoader.Json(new { gateway = l.Account.Provider, receipt = sent.Value, amount })));
        await db.SaveChangesAsync(ct);
        return l.Link;
    }
}
