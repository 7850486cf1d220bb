using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Jobs;

namespace Paylink.Core.Webhooks;

/// <summary>
/// Job <c>webhook.deliver</c>: POSTs one signed delivery. 2xx = delivered; 410 Gone = the receiver wants no
/// more: the endpoint is disabled and nothing is retried; anything else (3xx — redirects are not followed
/// —, 4xx, 5xx, timeout, refused or blocked connection) is retried per <see cref="Policy"/>. Idempotent in
/// effect: a delivered delivery is not sent again by a repeated job, and receivers dedupe on webhook-id.
/// </summary>
public sealed class DeliverWebhook(AppDbContext db, SecretProtector protector, IHttpClientFactory http, WebhookMetrics metrics,
    TimeProvider clock, ILogger<DeliverWebhook> log) : IJobHandler
{
    public const string JobType = "webhook.deliver";
    public const string HttpClientName = "webhooks";

    /// <summary>18 attempts over about 3 days: 30 s doubling to a cap of 8 h (see docs/webhooks.md).</summary>
    public static readonly JobRetryPolicy Policy = new(18, TimeSpan.FromSeconds(30), TimeSpan.FromHours(8));

    public sealed record Payload(string DeliveryId);

    public async Task<JobResult> HandleAsync(JobContext job, CancellationToken ct)
    {
        var id = job.Read<Payload>().DeliveryId;
        var delivery = await db.WebhookDeliveries.IgnoreQueryFilters().FirstOrDefaultAsync(d => d.Id == id, ct);
        if (delivery is null || delivery.Status == WebhookDeliveryStatus.Delivered) return JobResult.Done;   // endpoint deleted / already done
        var endpoint = await db.WebhookEndpoints.IgnoreQueryFilters().FirstOrDefaultAsync(e => e.Id == delivery.EndpointId, ct);
        var now = clock.GetUtcNow();
        delivery.CarriedBy(job.Id);
        if (endpoint is null || !endpoint.Enabled)
        {
            delivery.Attempted(now, null, "Endpoint is disabled" + (endpoint?.DisabledReason is { } r ? ": " + r : "."), null, delivered: false, final: true);
            await db.SaveChangesAsync(ct);
            metrics.Delivered(delivery.EventType, "skipped", TimeSpan.Zero);
            return JobResult.Done;
        }
        var secret = protector.TryUnprotect(endpoint.ProtectedSecret);
        if (secret is null) return JobResult.Fail("The endpoint's signing secret cannot be decrypted (data-protection keys missing?).");

        var timestamp = now.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.IdHeader, delivery.Id);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, delivery.Id, timestamp, delivery.Payload));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Paylink-Webhooks", "1"));

        var started = clock.GetTimestamp();
        int? status = null;
        string? body = null;
        string? error = null;
        TimeSpan? retryAfter = null;
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            status = (int)response.StatusCode;
            body = await ReadPrefixAsync(response, ct);
            retryAfter = RetryAfter(response, now);
            if (!response.IsSuccessStatusCode) error = $"HTTP {status}";
        }
        catch (HttpRequestException ex) { error = ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message; }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { error = "Timed out."; }
        var elapsed = clock.GetElapsedTime(started);
        now = clock.GetUtcNow();
        var host = new Uri(endpoint.Url).Host;

        if (error is null)
        {
            delivery.Attempted(now, status, null, body, delivered: true, final: true);
            await db.SaveChangesAsync(CancellationToken.None);
            metrics.Delivered(delivery.EventType, "delivered", elapsed);
            log.LogInformation("Webhook {DeliveryId} ({Event}) delivered to {Endpoint} at {Host}: {Status}", delivery.Id, delivery.EventType, endpoint.Id, host, status);
            return JobResult.Done;
        }
        if (status == (int)HttpStatusCode.Gone)
        {
            delivery.Attempted(now, status, "410 Gone: endpoint disabled.", body, delivered: false, final: true);
            endpoint.Disable("The receiver answered 410 Gone.", now);
            await db.SaveChangesAsync(CancellationToken.None);
            metrics.Delivered(delivery.EventType, "disabled", elapsed);
            log.LogWarning("Webhook endpoint {Endpoint} answered 410 Gone; disabled", endpoint.Id);
            return JobResult.Done;
        }
        delivery.Attempted(now, status, error, body, delivered: false, final: job.IsLastAttempt);
        await db.SaveChangesAsync(CancellationToken.None);
        metrics.Delivered(delivery.EventType, job.IsLastAttempt ? "failed" : "retry", elapsed);
        log.LogWarning("Webhook {DeliveryId} to {Endpoint} at {Host} failed (attempt {Attempt}/{Max}): {Error}",
            delivery.Id, endpoint.Id, host, job.Attempt, job.MaxAttempts, error);
        return JobResult.Retry(error, retryAfter);
    }

    /// <summary>Reads at most <see cref="WebhookDelivery.MaxResponseBody"/> bytes and drops the rest unread.</summary>
    private static async Task<string?> ReadPrefixAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[WebhookDelivery.MaxResponseBody];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), ct)) > 0) total += read;
        if (total == 0) return null;
        var text = Encoding.UTF8.GetString(buffer, 0, total);
        return total == buffer.Length ? text + "…" : text;
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var ra = response.Headers.RetryAfter;
        if (ra?.Delta is { } delta) return delta;
        if (ra?.Date is { } date && date > now) return date - now;
        return null;
    }
}

/// <summary>Meter <c>Paylink.Webhooks</c>: deliveries by event and outcome, and their duration.</summary>
public sealed class WebhookMetrics : IDisposable
{
    public const string Name = "Paylink.Webhooks";
    private readonly Meter _meter = new(Name);
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _duration;

    public WebhookMetrics()
    {
        _deliveries = _meter.CreateCounter<long>("paylink.webhooks.attempts", "{attempt}",
            "Delivery attempts by outcome: delivered, retry, failed (retries used up), disabled (410), skipped (endpoint disabled).");
        _duration = _meter.CreateHistogram<double>("paylink.webhooks.duration", "s", "Time of one delivery attempt.");
    }

    public void Delivered(string eventType, string outcome, TimeSpan duration)
    {
        var tags = new TagList { { "event", eventType }, { "outcome", outcome } };
        _deliveries.Add(1, tags);
        _duration.Record(duration.TotalSeconds, tags);
    }

    public void Dispose() => _meter.Dispose();
}
