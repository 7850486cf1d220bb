using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using Paylink.Core.Common;

namespace Paylink.Providers.Gateways;

/// <summary>Section <c>Gateways:Http</c>: timeouts and retries of calls to real gateways.</summary>
public sealed class GatewayHttpOptions
{
    public const string Section = "Gateways:Http";

    /// <summary>Timeout of one HTTP attempt, seconds.</summary>
    [Range(0.1, 120)] public double AttemptTimeoutSeconds { get; set; } = 10;
    /// <summary>Timeout of a call including its retries, seconds.</summary>
    [Range(0.5, 600)] public double TotalTimeoutSeconds { get; set; } = 30;
    /// <summary>Retries of a retry-safe call (GET, or a POST carrying an idempotency key) after a transient failure.</summary>
    [Range(0, 5)] public int MaxRetries { get; set; } = 2;
    /// <summary>First backoff delay, milliseconds (exponential, jittered; Retry-After wins when the gateway sends it).</summary>
    [Range(1, 60000)] public int BaseDelayMilliseconds { get; set; } = 300;
    /// <summary>Longest wait between retries, seconds (also caps Retry-After).</summary>
    [Range(0.1, 120)] public double MaxDelaySeconds { get; set; } = 5;
}

/// <summary>Shared HTTP plumbing of the gateway adapters: resilience, retry safety, settings helpers.</summary>
public static class GatewayHttp
{
    /// <summary>Request option marking a POST as safe to repeat (read-only calls of RPC-style APIs like T-Bank's GetState).</summary>
    public static readonly HttpRequestOptionsKey<bool> RetrySafe = new("paylink.retry-safe");

    /// <summary>
    /// A named client with a bounded, jittered retry that honours Retry-After, but only for requests that
    /// are safe to repeat: GET, an idempotency-keyed POST, or one marked <see cref="RetrySafe"/>. A POST that
    /// creates something without a key is never repeated (it could charge twice). Delays and timeouts run on
    /// the system clock on purpose: they are network timing, not business time (tests fake the latter).
    /// </summary>
    public static IHttpClientBuilder AddGatewayClient(this IServiceCollection services, string name)
    {
        var builder = services.AddHttpClient(name, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .AddOutboundGuard();
        builder.AddResilienceHandler("gateway", (pipeline, context) =>
        {
            var o = context.ServiceProvider.GetRequiredService<IOptions<GatewayHttpOptions>>().Value;
            pipeline.TimeProvider = TimeProvider.System;
            pipeline.AddTimeout(TimeSpan.FromSeconds(o.TotalTimeoutSeconds));
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, o.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(o.BaseDelayMilliseconds),
                MaxDelay = TimeSpan.FromSeconds(o.MaxDelaySeconds),
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(o.MaxRetries > 0
                    && HttpClientResiliencePredicates.IsTransient(args.Outcome)
                    && IsRetrySafe(args.Context.GetRequestMessage())),
            });
            pipeline.AddTimeout(TimeSpan.FromSeconds(o.AttemptTimeoutSeconds));
        });
        return builder;
    }

    /// <summary>Makes a client that calls merchant-set destinations connect only through <see cref="OutboundGuard"/>:
    /// public addresses (unless <c>Outbound:AllowPrivateNetworks</c>), checked at connect time, no redirects.</summary>
    public static IHttpClientBuilder AddOutboundGuard(this IHttpClientBuilder builder) =>
        builder.ConfigurePrimaryHttpMessageHandler(sp =>
            OutboundGuard.CreateHandler(sp.GetRequiredService<IOptions<OutboundOptions>>().Value.AllowPrivateNetworks));

    public static bool IsRetrySafe(HttpRequestMessage? r) =>
        r is not null && (r.Method == HttpMethod.Get
            || r.Headers.Contains("Idempotency-Key") || r.Headers.Contains("Idempotence-Key")
            || (r.Options.TryGetValue(RetrySafe, out var safe) && safe));

    /// <summary>True for failures where the outcome is unknown or the gateway is down (not a refusal).</summary>
    public static bool IsUnavailable(Exception ex) => ex is HttpRequestException or TimeoutRejectedException
        or TaskCanceledException or Polly.CircuitBreaker.BrokenCircuitException or IOException;

    public static bool IsUnavailable(HttpStatusCode status) => (int)status >= 500 || status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;

    /// <summary>Validates an optional <c>baseUrl</c> setting: absolute http(s), normalised with a trailing slash.</summary>
    public static string? BaseUrl(JsonObject settings, ValidationErrors errors)
    {
        if (settings["baseUrl"] is not { } node) return null;
        var s = node.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : null;
        if (s is null || !Uri.TryCreate(s, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            errors.Add("settings.baseUrl", "baseUrl must be an absolute http(s) URL.");
            return null;
        }
        return s.EndsWith('/') ? s : s + "/";
    }

    /// <summary>A required non-empty string setting.</summary>
    public static string? Required(JsonObject settings, string key, ValidationErrors errors, int maxLength = 200, string? hint = null)
    {
        var node = settings[key];
        var s = node is not null && node.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>().Trim() : null;
        if (string.IsNullOrEmpty(s)) errors.Add($"settings.{key}", $"{key} is required{(hint is null ? "" : " (" + hint + ")")}.");
        else if (s.Length > maxLength) errors.Add($"settings.{key}", $"{key} must be at most {maxLength} characters.");
        else return s;
        return null;
    }

    public static void RejectUnknown(JsonObject settings, ValidationErrors errors, string provider, params string[] known)
    {
        foreach (var (key, _) in settings)
            if (!known.Contains(key)) errors.Add($"settings.{key}", $"Unknown setting '{key}'. {provider} takes: {string.Join(", ", known)}.");
    }

    public static string Setting(JsonObject settings, string key) => settings[key]?.GetValue<string>() ?? "";

    public static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
