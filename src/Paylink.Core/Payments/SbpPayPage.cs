using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Providers;

namespace Paylink.Core.Payments;

/// <summary>What the SBP page of an open link shows: the QR payload while it is valid, or why there is none.</summary>
public enum SbpPageState { Waiting, Expired, Declined, None }

public sealed record SbpPageView(SbpPageState State, string? Payload, DateTimeOffset? ExpiresAt, IReadOnlyList<SbpBank> Banks);

/// <summary>
/// The SBP step of the pay page (<c>/p/{code}/sbp</c>): finds the link's latest SBP attempt (made by
/// <see cref="StartCheckout"/> with <see cref="PayMethod.Sbp"/>), the banks whose apps can pay it (cached per
/// account for <see cref="BankListTtl"/>: the list changes rarely and the page refreshes itself every few seconds),
/// and the deep link into one bank's app. Also answers whether a link can be offered SBP at all.
/// </summary>
public sealed class SbpPayPage(AppDbContext db, GatewayAccounts accounts, IMemoryCache cache, TimeProvider clock, PaymentMethodSettingsStore methods)
{
    public static readonly TimeSpan BankListTtl = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan OfferTtl = TimeSpan.FromMinutes(1);

    /// <summary>Whether the merchant has an active account whose gateway takes SBP (cached a minute per merchant, so the
    /// pay page's hot read stays one query) and SBP suits the link.</summary>
    /// <returns>Whether SBP is offered, and whether it comes first (the link's default method, else the merchant's).</returns>
    public async Task<(bool Offered, bool First)> OfferedAsync(PayPageLink link, CancellationToken ct)
    {
        if (link.Currency != "RUB" || !await MerchantTakesSbpAsync(link.MerchantId, link.SavePaymentMethod, ct)) return (false, false);
        // Capture mode and default method come with the pay page's read model: no second read of the link.
        if (link.CaptureMode != CaptureMode.Automatic) return (false, false);
        return (true, (link.DefaultMethod ?? (await methods.GetAsync(link.MerchantId, ct)).DefaultMethod) == "sbp");
    }

    /// <summary>The same answer for a link whose fields are at hand (chat invoices).</summary>
    public async Task<bool> OfferedAsync(string merchantId, string currency, bool savePaymentMethod, CaptureMode capture, CancellationToken ct) =>
        currency == "RUB" && capture == CaptureMode.Automatic && await MerchantTakesSbpAsync(merchantId, savePaymentMethod, ct);

    /// <summary>For a link that saves the method, only accounts that can do SBP autopay count.</summary>
    private async Task<bool> MerchantTakesSbpAsync(string merchantId, bool autopay, CancellationToken ct)
    {
        var key = (autopay ? "sbp-autopay-offer:" : "sbp-offer:") + merchantId;
        if (cache.TryGetValue(key, out bool offered)) return offered;
        var all = await db.GatewayAccounts.IgnoreQueryFilters().AsNoTracking().Where(a => a.MerchantId == merchantId).ToListAsync(ct);
        offered = all.Any(a => a.IsActive && accounts.Open(a) is { IsSuccess: true } o && StartCheckout.SbpFits(o.Value.Gateway, o.Value.Context, autopay));
        cache.Set(key, offered, OfferTtl);
        return offered;
    }

    public async Task<SbpPageView> ViewAsync(PayPageLink link, CancellationToken ct)
    {
        var attempt = await LatestAsync(link.Id, ct);
        if (attempt is null) return new(SbpPageState.None, null, null, []);
        var expires = StartCheckout.SbpExpiry(attempt.CreatedAt, link.ExpiresAt);
        if (attempt.Status == AttemptStatus.Failed) return new(SbpPageState.Declined, null, null, []);
        if (attempt.Status != AttemptStatus.Pending || attempt.CheckoutUrl is null || clock.GetUtcNow() >= expires)
            return new(SbpPageState.Expired, null, null, []);
        return new(SbpPageState.Waiting, attempt.CheckoutUrl, expires, await BanksAsync(attempt, ct));
    }

    /// <summary>The deep link into <paramref name="bankId"/>'s app for the link's waiting SBP payment.</summary>
    public async Task<Result<string>> BankLinkAsync(PayPageLink link, string bankId, CancellationToken ct)
    {
        var attempt = await LatestAsync(link.Id, ct);
        if (attempt is not { Status: AttemptStatus.Pending, CheckoutUrl: not null, ExternalId: not null }
            || clock.GetUtcNow() >= StartCheckout.SbpExpiry(attempt.CreatedAt, link.ExpiresAt))
            return Error.Conflict("sbp_expired", "The SBP payment of this link is no longer waiting; start a new one.");
        var opened = await OpenAsync(attempt, ct);
        if (!opened.IsSuccess) return opened.Error!;
        var (sbp, context) = opened.Value;
        var banks = await BanksAsync(attempt, ct);
        if (banks.All(b => b.Id != bankId)) return Error.NotFound("Bank");
        return await sbp.SbpBankLinkAsync(context, attempt.ExternalId, attempt.CheckoutUrl, bankId, ct);
    }

    private Task<PaymentAttempt?> LatestAsync(string linkId, CancellationToken ct) =>
        db.PaymentAttempts.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.LinkId == linkId && a.Method == PayMethod.Sbp).OrderByDescending(a => a.Id).FirstOrDefaultAsync(ct);

    private async Task<Result<(IGatewaySbp Sbp, GatewayContext Context)>> OpenAsync(PaymentAttempt attempt, CancellationToken ct)
    {
        var account = await db.GatewayAccounts.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(a => a.Id == attempt.GatewayAccountId, ct);
        if (account is null) return Error.Unavailable("The gateway account of this payment no longer exists.");
        var opened = accounts.Open(account);
        if (!opened.IsSuccess) return opened.Error!;
        if (opened.Value.Gateway is not IGatewaySbp sbp) return Error.Unavailable($"Gateway '{account.Provider}' does not take SBP.");
        return (sbp, opened.Value.Context);
    }

    /// <summary>The bank list, or none when the gateway cannot say (the payload link then opens the SBP bank chooser).</summary>
    private async Task<IReadOnlyList<SbpBank>> BanksAsync(PaymentAttempt attempt, CancellationToken ct)
    {
        var key = "sbp-banks:" + attempt.GatewayAccountId;
        if (cache.TryGetValue(key, out IReadOnlyList<SbpBank>? banks) && banks is not null) return banks;
        var opened = await OpenAsync(attempt, ct);
        if (!opened.IsSuccess) return [];
        var listed = await opened.Value.Sbp.ListSbpBanksAsync(opened.Value.Context, ct);
        if (!listed.IsSuccess) return [];   // not cached: the next refresh asks again
        cache.Set(key, listed.Value, BankListTtl);
        return listed.Value;
    }
}
