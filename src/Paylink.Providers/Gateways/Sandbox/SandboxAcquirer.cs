using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Payments;

namespace Paylink.Providers.Gateways.Sandbox;

/// <summary>
/// A simulated acquiring bank living in the same process. It keeps its own checkouts, shows a checkout
/// page where the payer succeeds or declines, and notifies the merchant's webhook URL by a signed
/// HTTP POST, exactly the way Paylink's real gateways do; undelivered notifications are retried
/// from the job table. Used for demos and tests.
/// </summary>
public sealed class SandboxAcquirer(AppDbContext db, GatewayAccounts accounts, PublicUrls urls, IHttpClientFactory http,
    IJobQueue jobs, JobRunner runner, TimeProvider clock, ILogger<SandboxAcquirer> log)
{
    public const string HttpClientName = "sandbox-acquirer";

    /// <summary>How long the background runner leaves a fresh notification job to the attempt made inline.</summary>
    public static readonly TimeSpan InlineGrace = TimeSpan.FromSeconds(30);

    public string CheckoutUrl(string checkoutId) => $"{urls.Base}/sandbox/checkout/{checkoutId}";

    /// <summary>The SBP payload of a checkout: what its QR encodes. Opened (scanned with a phone) it shows the sandbox's
    /// "bank app", where the payer confirms or declines, as a real SBP payload opens a bank's app.</summary>
    public string SbpPayload(string checkoutId) => $"{urls.Base}/sandbox/sbp/{checkoutId}";

    public async Task<SandboxCheckout> CreateCheckoutAsync(string accountId, Money amount, string description, string reference,
        string notificationUrl, string returnUrl, CancellationToken ct, bool bindsAccount = false)
    {
        var checkout = SandboxCheckout.Create(Ids.New("sbx", clock), accountId, amount.Minor, amount.Currency, description,
            reference, notificationUrl, returnUrl, clock.GetUtcNow(), bindsAccount);
        db.SandboxCheckouts.Add(checkout);
        await db.SaveChangesAsync(ct);
        return checkout;
    }

    /// <summary>
    /// A merchant-initiated charge of a bound account: a checkout completed at once (the payer agreed when binding), notified
    /// like any other. Null when the token names no account this gateway account bound (never bound, or another merchant's).
    /// </summary>
    public async Task<SandboxCheckout?> ChargeBoundAccountAsync(string accountId, string token, Money amount, string description, string reference,
        string notificationUrl, CancellationToken ct)
    {
        if (!token.StartsWith(SandboxCheckout.TokenPrefix, StringComparison.Ordinal)) return null;
        var bound = await FindAsync(token[SandboxCheckout.TokenPrefix.Length..], ct);
        if (bound is null || bound.AccountId != accountId || bound.AccountToken != token) return null;
        // One charge per reference, as a real acquirer deduplicates on the merchant's order id.
        var existing = await db.SandboxCheckouts.FirstOrDefaultAsync(c => c.Reference == reference && c.AccountId == accountId, ct);
        var charge = existing ?? await CreateCheckoutAsync(accountId, amount, description, reference, notificationUrl, bound.ReturnUrl, ct);
        return await CompleteAsync(charge.Id, success: true, ct);
    }

    public Task<SandboxCheckout?> FindAsync(string id, CancellationToken ct) =>
        db.SandboxCheckouts.FirstOrDefaultAsync(c => c.Id == id, ct);

    /// <summary>
    /// Completes a pending checkout and notifies the merchant. The notification is a durable job
    /// (<see cref="SandboxNotifyHandler"/>) committed together with the completion, so a Paylink outage
    /// cannot lose it; it is tried at once, and on failure retried with backoff like a real acquirer
    /// does. A completed checkout is never completed again; posting to it again tries a pending
    /// notification once more right away.
    /// </summary>
    public async Task<SandboxCheckout?> CompleteAsync(string id, bool success, CancellationToken ct)
    {
        var checkout = await FindAsync(id, ct);
        if (checkout is null) return null;
        var now = clock.GetUtcNow();
        if (checkout.Complete(success, now))
        {
            // Due after a grace period: the attempt made right below comes first, the runner only if it failed
            // (or if this process died before making it).
            jobs.Enqueue(db, SandboxNotifyHandler.JobType, new SandboxNotifyHandler.Payload(checkout.Id), now + InlineGrace, dedupeKey: checkout.Id);
            await db.SaveChangesAsync(ct);
        }
        if (checkout.NotifiedAt is null)
        {
            var jobId = await db.Jobs.Where(j => j.Type == SandboxNotifyHandler.JobType && j.DedupeKey == checkout.Id)
                .Select(j => (long?)j.Id).FirstOrDefaultAsync(ct);
            if (jobId is { } jid && await runner.RunNowAsync(jid, ct)) await db.Entry(checkout).ReloadAsync(ct);
        }
        return checkout;
    }

    /// <summary>POSTs the signed notification once. Returns null when the merchant answered 2xx, else why not.</summary>
    public async Task<string?> NotifyAsync(SandboxCheckout checkout, CancellationToken ct)
    {
        if (checkout.Status == SandboxCheckoutStatus.Pending) return "checkout is not completed";
        var account = await db.GatewayAccounts.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(a => a.Id == checkout.AccountId, ct);
        if (account is null) return "gateway account no longer exists";
        var opened = accounts.Open(account);
        if (!opened.IsSuccess) return opened.Error!.Message;
        var secret = opened.Value.Context.Settings["secret"]!.GetValue<string>();

        var type = checkout.Status == SandboxCheckoutStatus.Succeeded ? SandboxNotification.Succeeded : SandboxNotification.Declined;
        // The event id is stable per checkout outcome, so a re-sent notification is recognisably the same event.
        var body = JsonSerializer.SerializeToUtf8Bytes(new SandboxNotification($"evt_{checkout.Id}_{type}", type, checkout.CompletedAt!.Value,
            new SandboxNotification.CheckoutInfo(checkout.Id, checkout.Reference, checkout.AmountMinor, checkout.Currency,
                checkout.Status.ToString().ToLowerInvariant(), checkout.AccountToken)), SandboxNotification.Json);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var req = new HttpRequestMessage(HttpMethod.Post, checkout.NotificationUrl) { Content = content };
        req.Headers.Add(SandboxSignature.Header, SandboxSignature.Sign(secret, clock.GetUtcNow().ToUnixTimeSeconds(), body));
        string? error = null;
        try
        {
            using var resp = await http.CreateClient(HttpClientName).SendAsync(req, ct);
            if (!resp.IsSuccessStatusCode) error = $"merchant answered {(int)resp.StatusCode}";
        }
        catch (HttpRequestException ex) { error = ex.Message; }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { error = "timed out"; }
        if (error is not null) log.LogWarning("Sandbox notification for {CheckoutId} failed: {Error}", checkout.Id, error);
        checkout.NotificationTried(error is null, clock.GetUtcNow());
        await db.SaveChangesAsync(CancellationToken.None);
        return error;
    }
}
