using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paylink.Core.Common;
using Paylink.Core.Customers;
using Paylink.Core.Data;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Providers;
using Paylink.Core.Receipts;

namespace Paylink.Core.Payments;

/// <summary>What the pay page knows about the customer's consent to save the payment method.</summary>
public sealed record CheckoutConsent(bool Given, string? Ip, string? UserAgent, string Channel = "pay_page");

/// <summary>
/// Starts (or resumes) a checkout for a link at its gateway and returns the URL to send the customer
/// to. A pending attempt younger than <see cref="ReuseWindow"/> is reused, so a double click or a
/// back-and-forth does not open a second payment at the gateway. When the gateway is unavailable
/// (timeout, 5xx — not a decline) the merchant's next active account in order is tried, and the link's
/// event log records the failover. With <see cref="PayMethod.Sbp"/> the checkout is an SBP QR on our own page
/// (<see cref="IGatewaySbp"/>): only accounts that can take SBP are tried, and the answer is our SBP page.
/// </summary>
public sealed class StartCheckout(AppDbContext db, GatewayAccounts accounts, PublicUrls urls, PersonalData.PersonalDataPolicy pdn, TimeProvider clock,
    ILogger<StartCheckout> log)
{
    public static readonly TimeSpan ReuseWindow = TimeSpan.FromMinutes(15);

    public Task<Result<string>> HandleAsync(string code, CheckoutConsent? consent, CancellationToken ct) =>
        HandleAsync(code, consent, PayMethod.Card, ct);

    /// <summary>How long an SBP QR is shown before a new one is needed: the reuse window, never past the link's expiry.</summary>
    public static DateTimeOffset SbpExpiry(DateTimeOffset createdAt, DateTimeOffset linkExpiresAt) =>
        createdAt + ReuseWindow < linkExpiresAt ? createdAt + ReuseWindow : linkExpiresAt;

    public async Task<Result<string>> HandleAsync(string code, CheckoutConsent? consent, PayMethod method, CancellationToken ct)
    {
        if (method == PayMethod.Other) return Error.Validation("method", $"method must be one of: {PayMethods.Allowed}.");
        if (!Ids.IsCode(code)) return Error.NotFound("Link");
        var link = await db.PaymentLinks.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(l => l.Code == code, ct);
        if (link is null) return Error.NotFound("Link");
        var now = clock.GetUtcNow();
        if (!link.CanStartCheckout(now))
            return Error.Conflict("link_not_open", $"The link is {link.StatusAt(now).ToWire()}; it cannot be paid.");
        if (link.SavePaymentMethod && consent is not { Given: true })
            return Error.Validation("consent", "Tick the box to agree to saving the payment method; this payment needs it.");
        if (method == PayMethod.Sbp && SbpRefusal(link) is { } refusal) return refusal;
        if (await pdn.ConsentMissingAsync(link.MerchantId, link.CustomerId, null, link.Id, ct))
            return PersonalData.PersonalDataPolicy.ConsentRequiredError;

        // Paying implies the customer saw the page (a form posted from elsewhere, a page opened before we counted).
        if (link.OpenedAt is null) await OpenPayPage.RecordFirstOpenAsync(db, link.Id, link.MerchantId, LinkStatus.Open, now, ct);

        var since = now - ReuseWindow;
        var pending = await db.PaymentAttempts.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.LinkId == link.Id && a.Status == AttemptStatus.Pending && a.CreatedAt > since && a.CheckoutUrl != null && a.Method == method)
            .OrderByDescending(a => a.CreatedAt).FirstOrDefaultAsync(ct);
        if (pending is not null) return method == PayMethod.Sbp ? SbpPage(link.Code) : pending.CheckoutUrl!;

        var merchant = await db.Merchants.AsNoTracking().FirstAsync(m => m.Id == link.MerchantId, ct);
        var customer = link.CustomerId is null ? null
            : await db.Customers.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(c => c.Id == link.CustomerId, ct);
        var receipt = merchant.Fiscal.GatewayReceipts && link.Currency == "RUB"
            ? ReceiptBuilder.ForPayment(merchant.Fiscal, link, customer?.Email, customer?.Phone) : null;
        var consentJson = link.SavePaymentMethod
            ? JsonSerializer.Serialize(new ConsentRecord(RecurringConsent.Version, now, consent!.Channel, consent.Ip, consent.UserAgent), PaylinkJson.Output)
            : null;

        var candidates = await CandidatesAsync(link, ct);
        if (candidates.Count == 0) return Error.Unavailable("The link's gateway account no longer exists.");
        Error? last = null;
        GatewayAccount? previous = null;
        foreach (var account in candidates)
        {
            var opened = accounts.Open(account);
            if (!opened.IsSuccess) { last = opened.Error; continue; }
            var (gateway, context) = opened.Value;
            if (!Supports(gateway, link) || (method == PayMethod.Sbp && !SbpFits(gateway, context, link))) continue;

            if (previous is not null)
                AddEvent(link, LinkEventTypes.Failover, new { from = previous.Id, fromGateway = previous.Provider, to = account.Id, toGateway = account.Provider, reason = last?.Message });

            // The attempt is stored before calling the gateway: a fast notification must find it.
            var attempt = PaymentAttempt.Start(link.MerchantId, link.Id, account.Id, account.Provider, link.Amount, clock, method);
            if (consentJson is not null) attempt.RecordConsent(consentJson);
            db.PaymentAttempts.Add(attempt);
            await db.SaveChangesAsync(ct);

            var request = new CheckoutRequest(attempt.Id, link.Id, link.Amount, link.Description, urls.PayPage(link.Code),
                method == PayMethod.Sbp ? SbpExpiry(attempt.CreatedAt, link.ExpiresAt) : link.ExpiresAt,
                customer?.Email, customer?.Phone, receipt, link.CaptureMode, link.SavePaymentMethod, link.CustomerId);
            var session = method == PayMethod.Sbp ? await CreateSbpAsync((IGatewaySbp)gateway, context, request, ct)
                : await CardAsync(gateway, context, request, ct);
            now = clock.GetUtcNow();
            if (session.IsSuccess)
            {
                attempt.CheckoutCreated(session.Value.ExternalId, session.Value.RedirectUrl);
                if (session.Value.BindingKey is { Length: > 0 } bindingKey) attempt.SbpBindingStarted(bindingKey);
                AddEvent(link, LinkEventTypes.CheckoutStarted, new { gateway = account.Provider, account = account.Id, attempt = attempt.Id, method = method.ToWire() });
                await db.SaveChangesAsync(ct);
                return method == PayMethod.Sbp ? SbpPage(link.Code) : session.Value.RedirectUrl;
            }
            attempt.Fail(session.Error!.Message, now);
            AddEvent(link, LinkEventTypes.CheckoutFailed, new { gateway = account.Provider, account = account.Id, error = session.Error.Code });
            await db.SaveChangesAsync(ct);
            last = session.Error;
            previous = account;
            if (session.Error.Kind != ErrorKind.ProviderUnavailable) return session.Error;   // a decline is final; only outages fail over
            log.LogWarning("Gateway {Provider} account {AccountId} unavailable for link {LinkId}: trying the next account", account.Provider, account.Id, link.Id);
        }
        if (last is null && method == PayMethod.Sbp && link.SavePaymentMethod)
            return Error.Validation("method", "No gateway account of the merchant can bind an SBP account for later charges (SBP autopay); pay by card.");
        return last ?? Error.Unavailable("No gateway account of the merchant can take this payment.");
    }

    /// <summary>Whether the account takes SBP for this link: enabled, and for a link that saves the method, SBP autopay
    /// (binding the payer's account, then charging it through <see cref="IGatewaySavedMethods"/>).</summary>
    public static bool SbpFits(IPaymentGateway gateway, GatewayContext context, PaymentLink link) =>
        SbpFits(gateway, context, link.SavePaymentMethod);

    public static bool SbpFits(IPaymentGateway gateway, GatewayContext context, bool savePaymentMethod) =>
        gateway is IGatewaySbp sbp && sbp.SbpEnabled(context)
        && (!savePaymentMethod || (sbp.SbpAutopay(context) && gateway is IGatewaySavedMethods));

    /// <summary>An SBP session as a checkout: its payload is where a phone goes to pay.</summary>
    private static async Task<Result<SbpCheckout>> CreateSbpAsync(IGatewaySbp sbp, GatewayContext context, CheckoutRequest request, CancellationToken ct)
    {
        var s = await sbp.CreateSbpAsync(context, request, ct);
        return s.IsSuccess ? new SbpCheckout(s.Value.ExternalId, s.Value.Payload, s.Value.BindingKey) : s.Error!;
    }

    private static async Task<Result<SbpCheckout>> CardAsync(IPaymentGateway gateway, GatewayContext context, CheckoutRequest request, CancellationToken ct)
    {
        var s = await gateway.CreateCheckoutAsync(context, request, ct);
        return s.IsSuccess ? new SbpCheckout(s.Value.ExternalId, s.Value.RedirectUrl, null) : s.Error!;
    }

    private sealed record SbpCheckout(string ExternalId, string RedirectUrl, string? BindingKey);

    private string SbpPage(string code) => urls.PayPage(code) + "/sbp";

    /// <summary>Why SBP cannot pay this link, or null. SBP has no holds; T-Bank and YooKassa take SBP in roubles only. A link that
    /// saves the method is paid by SBP autopay where the account can bind (<see cref="SbpFits(IPaymentGateway, GatewayContext, bool)"/>).</summary>
    public static Error? SbpRefusal(PaymentLink link) =>
        link.Currency != "RUB" ? Error.Validation("method", "SBP takes roubles only; this link is in " + link.Currency + ".")
        : link.CaptureMode == CaptureMode.Manual ? Error.Validation("method", "SBP cannot hold money; this link captures later, pay by card.")
        : null;

    /// <summary>The link's own account first, then the merchant's other active accounts in the merchant's order.</summary>
    private async Task<List<GatewayAccount>> CandidatesAsync(PaymentLink link, CancellationToken ct)
    {
        var all = await db.GatewayAccounts.IgnoreQueryFilters().AsNoTracking().Where(a => a.MerchantId == link.MerchantId).ToListAsync(ct);
        var list = new List<GatewayAccount>();
        if (all.FirstOrDefault(a => a.Id == link.GatewayAccountId) is { IsActive: true } own) list.Add(own);
        list.AddRange(all.Where(a => a.IsActive && a.Id != link.GatewayAccountId).OrderBy(a => a.Position).ThenBy(a => a.Id));
        return list;
    }

    /// <summary>A fallback account must be able to do what the link needs (currency, hold, saving the method).</summary>
    private static bool Supports(IPaymentGateway gateway, PaymentLink link) =>
        gateway.SupportsCurrency(link.Currency)
        && (link.CaptureMode == CaptureMode.Automatic || gateway is IGatewayHolds)
        && (!link.SavePaymentMethod || gateway is IGatewaySavedMethods);

    private void AddEvent(PaymentLink link, string type, object data) =>
        db.LinkEvents.Add(LinkEvent.For(link, type, clock.GetUtcNow(), JsonSerializer.Serialize(data)));
}
