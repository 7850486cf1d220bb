using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paylink.Core.Common;
using Paylink.Core.Providers;

namespace Paylink.Providers.Crm.Bitrix24;

/// <summary>
/// Calls Bitrix24 REST methods as <c>POST {webhookUrl}{method}.json</c> with a JSON body and reads the
/// envelope (<c>{"result":…,"time":…}</c> or <c>{"error","error_description"}</c>). Classifies failures:
/// QUERY_LIMIT_EXCEEDED, OPERATION_TIME_LIMIT, OVERLOAD_LIMIT, 5xx and network faults are transient;
/// NO_AUTH_FOUND / expired_token / INVALID_CREDENTIALS / ACCESS_DENIED / insufficient_scope (the webhook
/// expired, was deleted or lacks the crm scope), "Not found" and other 4xx are permanent. Failure messages
/// never contain the webhook URL (its code is a secret). Every call first takes a token from the
/// per-portal limiter. No retries here: the job retries, so one request never hides a storm of them.
/// </summary>
public sealed class Bitrix24Client(IHttpClientFactory http, Bitrix24RateLimiter limiter, TimeProvider clock)
{
    public const string HttpClientName = "bitrix24";

    private static readonly string[] AuthErrors =
        ["NO_AUTH_FOUND", "expired_token", "INVALID_CREDENTIALS", "ACCESS_DENIED", "insufficient_scope", "user_access_error", "invalid_token", "WRONG_AUTH_TYPE"];
    private static readonly string[] TransientErrors = ["QUERY_LIMIT_EXCEEDED", "OPERATION_TIME_LIMIT", "OVERLOAD_LIMIT", "INTERNAL_SERVER_ERROR", "ERROR_UNEXPECTED_ANSWER"];

    public async Task<CrmOutcome<JsonElement>> CallAsync(Bitrix24Settings s, string method, object body, CancellationToken ct)
    {
        if (!limiter.TryAcquire(s.Portal, out var wait))
            return new CrmFailure(true, "rate_limited", $"Paylink's own limit for {s.Portal} ({method}) is used up; next call in {wait.TotalSeconds:F1} s.", wait);
        var url = new Uri(s.WebhookUrl, method + ".json");
        HttpResponseMessage response;
        try
        {
            response = await http.CreateClient(HttpClientName).PostAsJsonAsync(url, body, Bitrix24Json.Options, ct);
        }
        catch (HttpRequestException ex)
        {
            return new CrmFailure(true, "network", $"{method}: the portal {s.Portal} did not answer ({ex.HttpRequestError}).");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new CrmFailure(true, "timeout", $"{method}: the portal {s.Portal} did not answer in time.");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonElement root = default;
            var parsed = false;
            try { root = JsonDocument.Parse(text).RootElement.Clone(); parsed = root.ValueKind == JsonValueKind.Object; }
            catch (JsonException) { }
            var code = parsed && root.TryGetProperty("error", out var err) ? err.ToString() : null;
            var description = parsed && root.TryGetProperty("error_description", out var d) ? d.ToString() : null;
            if (response.IsSuccessStatusCode && code is null && parsed && root.TryGetProperty("result", out var result)) return result;
            return Classify(method, (int)response.StatusCode, code, description, RetryAfterOf(response, root));
        }
    }

    /// <summary>Runs up to 50 commands as one request (one unit of the rate limit). Each command is
    /// <c>method?query</c>; later ones may use <c>$result[name][FIELD]</c>.</summary>
    public async Task<CrmOutcome<BatchResult>> BatchAsync(Bitrix24Settings s, IReadOnlyDictionary<string, string> commands, bool halt, CancellationToken ct)
    {
        var r = await CallAsync(s, "batch", new { halt = halt ? 1 : 0, cmd = commands }, ct);
        if (!r.IsSuccess) return r.Failure!;
        var results = new Dictionary<string, JsonElement>();
        var errors = new Dictionary<string, (string Code, string Description)>();
        if (r.Value.ValueKind == JsonValueKind.Object)
        {
            if (r.Value.TryGetProperty("result", out var res) && res.ValueKind == JsonValueKind.Object)
                foreach (var p in res.EnumerateObject()) results[p.Name] = p.Value.Clone();
            if (r.Value.TryGetProperty("result_error", out var re) && re.ValueKind == JsonValueKind.Object)
                foreach (var p in re.EnumerateObject())
                    errors[p.Name] = (p.Value.TryGetProperty("error", out var c) ? c.ToString() : "", p.Value.TryGetProperty("error_description", out var dd) ? dd.ToString() : "");
        }
        return new BatchResult(results, errors);
    }

    public sealed record BatchResult(IReadOnlyDictionary<string, JsonElement> Results, IReadOnlyDictionary<string, (string Code, string Description)> Errors)
    {
        /// <summary>The failure of command <paramref name="name"/> classified like a direct call's, or null when it succeeded.</summary>
        public CrmFailure? FailureOf(string name, string method) =>
            Errors.TryGetValue(name, out var e) ? Classify(method, 400, e.Code, e.Description, null) : null;
    }

    /// <summary>
    /// A failed answer → a <see cref="CrmFailure"/>. Only the error code token is quoted (<see cref="RemoteText"/>):
    /// the portal's <c>error_description</c> is remote free text, read here only to spot "not found", never echoed.
    /// </summary>
    public static CrmFailure Classify(string method, int status, string? code, string? description, TimeSpan? retryAfter)
    {
        var token = RemoteText.Code(code);
        var what = token is null ? $"HTTP {status}" : $"error {token} (HTTP {status})";
        if (code is not null && AuthErrors.Contains(code, StringComparer.OrdinalIgnoreCase) || status == 401)
            return new CrmFailure(false, "auth", $"{method}: Bitrix24 refused the webhook ({what}). It expired, was deleted or lacks the crm scope: create a new incoming webhook and update settings.webhookUrl.");
        if (code == "PORTAL_DELETED") return new CrmFailure(false, "portal_deleted", $"{method}: the portal was deleted.");
        if (code is not null && TransientErrors.Contains(code) || status is 429 or 500 or 502 or 503 or 504)
            return new CrmFailure(true, token ?? $"http_{status}", $"{method}: Bitrix24 is busy or failing ({what}).", retryAfter);
        if ((description ?? "").Contains("not found", StringComparison.OrdinalIgnoreCase) || (code ?? "").Contains("NOT_FOUND", StringComparison.OrdinalIgnoreCase))
            return new CrmFailure(false, "not_found", $"{method}: the record was not found ({what}; deleted at the portal?).");
        return new CrmFailure(false, token ?? "rejected", $"{method}: Bitrix24 refused the call ({what}).");
    }

    /// <summary>Retry-After, or for OPERATION_TIME_LIMIT the time until <c>time.operating_reset_at</c>.</summary>
    private TimeSpan? RetryAfterOf(HttpResponseMessage r, JsonElement root)
    {
        if (r.Headers.RetryAfter?.Delta is { } delta) return delta;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("time", out var t) && t.ValueKind == JsonValueKind.Object
            && t.TryGetProperty("operating_reset_at", out var reset) && reset.TryGetInt64(out var unix))
        {
            var wait = DateTimeOffset.FromUnixTimeSeconds(unix) - clock.GetUtcNow();
            if (wait > TimeSpan.Zero && wait < TimeSpan.FromMinutes(15)) return wait;
        }
        return null;
    }
}

public static class Bitrix24Json
{
    /// <summary>Keys exactly as Bitrix24 spells them (no naming policy).</summary>
    public static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = null };

    /// <summary>A PHP-style query string for a batch command: <c>fields[STAGE_ID]=WON&amp;id=5</c>.</summary>
    public static string Query(string method, IEnumerable<(string Key, string Value)> pairs)
    {
        var sb = new StringBuilder(method).Append('?');
        var first = true;
        foreach (var (k, v) in pairs)
        {
            if (!first) sb.Append('&');
            first = false;
            sb.Append(Uri.EscapeDataString(k).Replace("%5B", "[", StringComparison.Ordinal).Replace("%5D", "]", StringComparison.Ordinal))
              .Append('=').Append(v.StartsWith("$result[", StringComparison.Ordinal) ? v : Uri.EscapeDataString(v));
        }
        return sb.ToString();
    }

    /// <summary>Bitrix24 returns numbers as strings ("1500.00") or numbers; null when neither.</summary>
    public static decimal? Number(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.Number ? v.GetDecimal()
            : v.ValueKind == JsonValueKind.String && decimal.TryParse(v.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null
            : null;

    public static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? v.ToString() : null;

    public static IReadOnlyList<string> Multi(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Select(x => Text(x, "VALUE")).Where(x => !string.IsNullOrWhiteSpace(x)).Select(x => x!).ToList()
            : [];
}
