using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Payments;

namespace Paylink.Providers.Gateways.Sandbox;

/// <summary>
/// A simulated acquiring bank living in the same process. It keeps its own checkouts, shows a checkout
/// page where the payer succeeds or declines, and notifies the merchant's webhook URL by a signed
/// HTTP POST, exactly the way Paylink's real gateways do. Used for demos and tests.
/// </summary>
public sealed class SandboxAcquirer(AppDbContext db, GatewayAccounts accounts, PublicUrls urls, IHttpClientFactory http,
    TimeProvider clock, ILogger<SandboxAcquirer> log)
{
    public const string HttpClientName = "sandbox-acquirer";
    public const int NotifyTries = 3;

    public string CheckoutUrl(string checkoutId) => $"{urls.Base}/sandbox/checkout/{checkoutId}";

    public async Task<SandboxCheckout> CreateCheckoutAsync(string accountId, Money amount, string description, string reference,
        string notificationUrl, string returnUrl, CancellationToken ct)
    {
        var checkout = SandboxCheckout.Create(Ids.New("sbx", clock), accountId, amount.Minor, amount.Currency, description,
            reference, notificationUrl, returnUrl, clock.GetUtcNow());
        db.SandboxCheckouts.Add(checkout);
        await db.SaveChangesAsync(ct);
        return checkout;
    }

    public Task<SandboxCheckout?> FindAsync(string id, CancellationToken ct) =>
        db.SandboxCheckouts.FirstOrDefaultAsync(c => c.Id == id, ct);

    /// <summary>Completes a pending checkout and notifies the merchant. A completed checkout is only
    /// re-notified (if its notification never got through), never completed again.</summary>
    public async Task<SandboxCheckout?> CompleteAsync(string id, bool success, CancellationToken ct)
    {
        var checkout = await FindAsync(id, ct);
        if (checkout is null) return null;
        if (checkout.Complete(success, clock.GetUtcNow())) await db.SaveChangesAsync(ct);
        if (checkout.NotifiedAt is null) await NotifyAsync(checkout, ct);
        return checkout;
    }

    /// <summary>POSTs the signed notification, a few quick tries. Returns true when the merchant answered 2xx.</summary>
    public async Task<bool> NotifyAsync(SandboxCheckout checkout, CancellationToken ct)
    {
        if (checkout.Status == SandboxCheckoutStatus.Pending) return false;
        var account = await db.GatewayAccounts.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(a => a.Id == checkout.AccountId, ct);
        if (account is null) return false;
        var opened = accounts.Open(account);
        if (!opened.IsSuccess) return false;
        var secret = opened.Value.Context.Settings["secret"]!.GetValue<string>();

        var type = checkout.Status == SandboxCheckoutStatus.Succeeded ? SandboxNotification.Succeeded : SandboxNotification.Declined;
        // The event id is stable per checkout outcome, so a re-sent notification is recognisably the same event.
        var body = JsonSerializer.SerializeToUtf8Bytes(new SandboxNotification($"evt_{checkout.Id}_{type}", type, checkout.CompletedAt!.Value,
            new SandboxNotification.CheckoutInfo(checkout.Id, checkout.Reference, checkout.AmountMinor, checkout.Currency,
                checkout.Status.ToString().ToLowerInvariant())), SandboxNotification.Json);
        var client = http.CreateClient(HttpClientName);
        var delivered = false;
        for (var i = 0; i < NotifyTries && !delivered; i++)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var req = new HttpRequestMessage(HttpMethod.Post, checkout.NotificationUrl) { Content = content };
            req.Headers.Add(SandboxSignature.Header, SandboxSignature.Sign(secret, clock.GetUtcNow().ToUnixTimeSeconds(), body));
            try
            {
                using var resp = await client.SendAsync(req, ct);
                delivered = resp.IsSuccessStatusCode;
                if (!delivered) log.LogWarning("Sandbox notification for {CheckoutId} answered {Status}", checkout.Id, (int)resp.StatusCode);
            }
            catch (HttpRequestException ex)
            {
                log.LogWarning("Sandbox notification for {CheckoutId} failed: {Error}", checkout.Id, ex.Message);
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                log.LogWarning("Sandbox notification for {CheckoutId} timed out", checkout.Id);
            }
        }
        checkout.NotificationTried(delivered, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return delivered;
    }
}
