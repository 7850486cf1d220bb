using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Payments;
using Paylink.Core.Providers;
using Paylink.Core.Receipts;

namespace Paylink.Core.Customers;

public sealed record ChargeCustomerRequest(long? Amount, string? Currency, string? Description, string? PaymentMethodId = null,
    IReadOnlyList<LinkItemInput>? Items = null, string? OrderId = null);

/// <summary>
/// Charges a customer's saved payment method (merchant-initiated, with the consent recorded when it was
/// saved). Two steps like refunds: <see cref="PrepareAsync"/> creates the link and a Created attempt
/// (idempotent with the API's Idempotency-Key); <see cref="ExecuteAsync"/> calls the gateway keyed by the
/// attempt id, once, and applies its answer through the same transitions as a notification.
/// </summary>
public sealed class ChargeCustomer(AppDbContext db, CreatePaymentLink create, GatewayAccounts accounts, SecretProtector protector,
    ApplyGatewayNotification apply, TimeProvider clock)
{
    public async Task<Result<(PaymentLink Link, PaymentAttempt Attempt)>> PrepareAsync(string merchantId, string customerId,
        ChargeCustomerRequest r, CancellationToken ct)
    {
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, ct);
        if (customer is null) return Error.NotFound($"Customer '{customerId}'");
        var all = await db.SavedPaymentMethods.Where(m => m.CustomerId == customerId).ToListAsync(ct);
        var methods = all.Where(m => m.IsActive).ToList();
        var method = r.PaymentMethodId is null ? methods.OrderByDescending(m => m.Id).FirstOrDefault() : methods.FirstOrDefault(m => m.Id == r.PaymentMethodId);
        if (method is null)
        {
            if (r.PaymentMethodId is not null && all.FirstOrDefault(m => m.Id == r.PaymentMethodId) is { } revoked)
                return Error.Conflict(RevokedCode(revoked), revoked.RevokedMessage());
            if (r.PaymentMethodId is null && all.OrderByDescending(m => m.Id).FirstOrDefault() is { } last)
                return Error.Conflict("no_saved_method", "The customer has no saved payment method with active consent. The latest one: " + last.RevokedMessage());
            return r.PaymentMethodId is null
                ? Error.Conflict("no_saved_method", "The customer has no saved payment method with active consent.")
                : Error.Validation("paymentMethodId", $"Payment method '{r.PaymentMethodId}' is not an active saved method of this customer.");
        }

        var link = await create.HandleAsync(merchantId, new CreatePaymentLinkRequest(r.Amount, r.Currency, r.Description,
            new CustomerInput(customer.Name, customer.Phone, customer.Email), r.Items, null, r.OrderId, null, method.GatewayAccountId), ct);
        if (!link.IsSuccess) return link.Error!;
        var attempt = PaymentAttempt.Start(merchantId, link.Value.Id, method.GatewayAccountId, method.Provider, link.Value.Amount, clock, method.Method);
        attempt.ChargesSavedMethod(method.Id);
        db.PaymentAttempts.Add(attempt);
        await db.SaveChangesAsync(ct);
        return (link.Value, attempt);
    }

    /// <summary>binding_revoked when the payer's bank ended an SBP binding (or the gateway dropped the token), consent_revoked otherwise.</summary>
    private static string RevokedCode(SavedPaymentMethod m) => m.RevokedReason == SavedPaymentMethod.RevokedByBank ? "binding_revoked" : "consent_revoked";

    public async Task<Result<PaymentLink>> ExecuteAsync(string attemptId, CancellationToken ct)
    {
        var attempt = await db.PaymentAttempts.IgnoreQueryFilters().FirstOrDefaultAsync(a => a.Id == attemptId, ct);
        if (attempt is null) return Error.NotFound($"Charge '{attemptId}'");
        var link = await db.PaymentLinks.IgnoreQueryFilters().FirstAsync(l => l.Id == attempt.LinkId, ct);
        if (attempt.Status != AttemptStatus.Created) return link;   // already sent: a repeat only reports
        var method = await db.SavedPaymentMethods.IgnoreQueryFilters().FirstAsync(m => m.Id == attempt.SavedMethodId, ct);
        if (!method.IsActive)
        {
            // Charges stop with the reason; the prepared attempt is closed so nothing waits for it.
            attempt.Fail("saved method revoked: " + (method.RevokedReason ?? SavedPaymentMethod.RevokedByMerchant), clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return Error.Conflict(RevokedCode(method), method.RevokedMessage());
        }
        var account = await db.GatewayAccounts.IgnoreQueryFilters().AsNoTracking().FirstAsync(a => a.Id == attempt.GatewayAccountId, ct);
        var opened = accounts.Open(account);
        if (!opened.IsSuccess) return opened.Error!;
        if (opened.Value.Gateway is not IGatewaySavedMethods saved)
            return Error.Conflict("charges_unsupported", $"Gateway '{account.Provider}' cannot charge saved methods.");
        var token = protector.TryUnprotect(method.ProtectedToken);
        if (token is null) return Error.Unavailable("The saved method cannot be decrypted (data-protection keys missing?).");
        var merchant = await db.Merchants.AsNoTracking().FirstAsync(m => m.Id == link.MerchantId, ct);
        var customer = await db.Customers.IgnoreQueryFilters().AsNoTracking().FirstAsync(c => c.Id == method.CustomerId, ct);
        var receipt = merchant.Fiscal.GatewayReceipts && link.Currency == "RUB"
            ? ReceiptBuilder.ForPayment(merchant.Fiscal, link, customer.Email, customer.Phone) : null;

        attempt.Sent();   // marks it sent (Pending) before the call: never charged twice by a repeat
        await db.SaveChangesAsync(ct);
        var state = await saved.ChargeSavedMethodAsync(opened.Value.Context, new SavedMethodCharge(attempt.Id, token, link.Amount, link.Description,
            receipt, customer.Email, customer.Phone, customer.Id, method.Method), ct);
        if (!state.IsSuccess && state.Error!.Code == SavedMethodCharge.MethodRevokedCode)
        {
            // The gateway says the binding/token is gone (the payer's bank ended it): no further charges, with the reason.
            var tracked = await db.SavedPaymentMethods.IgnoreQueryFilters().FirstAsync(m => m.Id == method.Id, ct);
            if (tracked.Revoke(clock.GetUtcNow(), SavedPaymentMethod.RevokedByBank))
                db.LinkEvents.Add(LinkEvent.For(tracked.MerchantId, tracked.SourceLinkId, LinkEventTypes.MethodRevoked, clock.GetUtcNow(),
                    PaymentContextLoader.Json(new { gateway = account.Provider, method = tracked.Id, reason = SavedPaymentMethod.RevokedByBank })));
            await db.SaveChangesAsync(ct);
        }
        if (!state.IsSuccess)
        {
            if (state.Error!.Kind == ErrorKind.ProviderDeclined)
                await apply.ApplyVerifiedAsync(account, new GatewayNotification($"charge:{attempt.Id}", attempt.Id, null, NotificationKind.Failed, null,
                    state.Error.Message), PaymentContextLoader.Json(new { operation = "charge", error = state.Error.Code }), ct);
            return state.Error;
        }
        await apply.ApplyVerifiedAsync(account, PaymentContextLoader.AsReport($"charge:{attempt.Id}", attempt.Id, state.Value),
            PaymentContextLoader.Json(new { operation = "charge", status = state.Value.RawStatus }), ct);
        db.ChangeTracker.Clear();
        return await db.PaymentLinks.IgnoreQueryFilters().FirstAsync(l => l.Id == link.Id, ct);
    }
}

public sealed record SavedMethodView(string Id, string CustomerId, string Provider, string? Title, string ConsentVersion, DateTimeOffset ConsentAt,
    string ConsentChannel, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, string Method, string? RevokedReason)
{
    public static SavedMethodView From(SavedPaymentMethod m) =>
        new(m.Id, m.CustomerId, m.Provider, m.Title, m.ConsentVersion, m.ConsentAt, m.ConsentChannel, m.CreatedAt, m.RevokedAt, m.Method.ToWire(), m.RevokedReason);
}

/// <summary>Lists a customer's saved methods and revokes consent (no further charges; the record stays as evidence).</summary>
public sealed class CustomerPaymentMethods(AppDbContext db, TimeProvider clock)
{
    public async Task<Result<List<SavedPaymentMethod>>> ListAsync(string customerId, CancellationToken ct)
    {
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, ct)) return Error.NotFound($"Customer '{customerId}'");
        return (await db.SavedPaymentMethods.AsNoTracking().Where(m => m.CustomerId == customerId).ToListAsync(ct)).OrderBy(m => m.Id).ToList();
    }

    public async Task<Result<SavedPaymentMethod>> RevokeAsync(string customerId, string methodId, CancellationToken ct)
    {
        var m = await db.SavedPaymentMethods.FirstOrDefaultAsync(x => x.Id == methodId && x.CustomerId == customerId, ct);
        if (m is null) return Error.NotFound($"Payment method '{methodId}'");
        if (m.Revoke(clock.GetUtcNow())) await db.SaveChangesAsync(ct);
        return m;
    }
}
