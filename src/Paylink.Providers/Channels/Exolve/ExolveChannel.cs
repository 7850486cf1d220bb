using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Paylink.Core.Common;
using Paylink.Core.Customers;
using Paylink.Core.Providers;
using Paylink.Providers.Gateways;

namespace Paylink.Providers.Channels.Exolve;

/// <summary>
/// SMS through MTS Exolve (<c>POST messaging/v1/SendSMS</c>, <c>Authorization: Bearer &lt;application API key&gt;</c>,
/// JSON <c>{"number": sender, "destination": recipient, "text"}</c>, phones as 11 digits without "+", answer
/// <c>{"message_id": "…"}</c>, errors <c>{"error": {"message": "…"}}</c>). Settings: <c>apiKey</c>, <c>sender</c>
/// (a purchased mobile number or a registered alpha-name), optional <c>baseUrl</c> and <c>shortHost</c> (a shorter
/// host serving the same pay pages; links to our public address are rewritten to it, which saves SMS parts).
/// SendSMS has no idempotency key, so it is never repeated by the HTTP client; the job's retry after an unknown
/// outcome may send twice (documented in docs/providers/exolve.md).
/// </summary>
public sealed partial class ExolveChannel(IHttpClientFactory http, PublicUrls urls, TimeProvider clock, ILogger<ExolveChannel> log)
    : IMessageChannel, IChannelCredentialsCheck
{
    public const string ClientName = "exolve";
    public const string DefaultBaseUrl = "https://api.exolve.ru/";

    public string Id => "exolve";
    public ChannelTraits Traits { get; } = new(SupportsButtons: false, SupportsHtml: false, IsSms: true, ReachesBy: ContactKind.Phone);

    public Result<JsonObject> ValidateSettings(JsonObject settings)
    {
        var e = new ValidationErrors();
        GatewayHttp.RejectUnknown(settings, e, "Exolve", "apiKey", "sender", "baseUrl", "shortHost");
        var key = GatewayHttp.Required(settings, "apiKey", e, 4000, "the application's API key from the Exolve cabinet");
        if (key is not null && key.Any(char.IsWhiteSpace)) e.Add("settings.apiKey", "apiKey must not contain spaces (paste the key without 'Bearer').");
        var sender = GatewayHttp.Required(settings, "sender", e, 20, "your Exolve mobile number or registered alpha-name");
        string? normalisedSender = null;
        if (sender is not null)
        {
            if (ContactFormats.NormalizePhone(sender) is { } phone && phone.StartsWith("+7", StringComparison.Ordinal)) normalisedSender = phone[1..];
            else if (AlphaName().IsMatch(sender)) normalisedSender = sender;
            else e.Add("settings.sender", "sender must be a Russian mobile number (e.g. 79991112233) or an alpha-name of up to 11 Latin letters, digits, '.', '-', '_' or spaces.");
        }
        var baseUrl = GatewayHttp.BaseUrl(settings, e);
        string? shortHost = null;
        if (settings["shortHost"] is { } sh)
        {
            var s = sh.GetValueKind() == JsonValueKind.String ? sh.GetValue<string>().Trim().TrimEnd('/') : null;
            if (s is not null && s.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) s = s[8..];
            if (string.IsNullOrEmpty(s) || Uri.CheckHostName(s.Split(':')[0]) is not (UriHostNameType.Dns) || s.Contains('/') || !s.Contains('.'))
                e.Add("settings.shortHost", "shortHost must be a host name such as pl.example (served over https, same paths as the public address).");
            else shortHost = s.ToLowerInvariant();
        }
        if (e.Any) return e.ToError();
        var o = new JsonObject { ["apiKey"] = key, ["sender"] = normalisedSender };
        if (baseUrl is not null) o["baseUrl"] = baseUrl;
        if (shortHost is not null) o["shortHost"] = shortHost;
        return o;
    }

    public JsonObject MaskSettings(JsonObject s)
    {
        var o = new JsonObject { ["apiKey"] = Masking.Secret(GatewayHttp.Setting(s, "apiKey")), ["sender"] = GatewayHttp.Setting(s, "sender") };
        foreach (var k in new[] { "baseUrl", "shortHost" })
            if (s[k] is not null) o[k] = GatewayHttp.Setting(s, k);
        return o;
    }

    /// <summary>Any usual Russian phone form ("8 (916) 123-45-67", "+7 916…", "9161234567") → E.164 "+79161234567".</summary>
    public Result<string> NormalizeRecipient(string to) =>
        ContactFormats.NormalizePhone(to) is { } e164 && e164.StartsWith("+7", StringComparison.Ordinal) && e164.Length == 12
            ? e164
            : Error.Validation("to", "to must be a Russian phone number, e.g. +7 916 123-45-67.");

    /// <summary>The SMS text as sent: buttons become "Text: URL" lines (unless the URL is already in the text), and
    /// links to our public address use <c>shortHost</c> when it is set.</summary>
    public string RenderText(JsonObject settings, OutgoingChannelMessage m)
    {
        var sb = new StringBuilder(m.Text.TrimEnd());
        foreach (var b in m.Buttons ?? [])
            if (!m.Text.Contains(b.Url, StringComparison.Ordinal))
                sb.Append('\n').Append(b.Text).Append(": ").Append(b.Url);
        var text = sb.ToString();
        if (settings["shortHost"]?.GetValue<string>() is { Length: > 0 } shortHost)
            text = text.Replace(urls.Base + "/", $"https://{shortHost}/", StringComparison.OrdinalIgnoreCase);
        return text;
    }

    public async Task<ChannelSendResult> SendAsync(ChannelContext context, OutgoingChannelMessage message, CancellationToken ct)
    {
        if (NormalizeRecipient(message.To) is not { IsSuccess: true } to) return ChannelSendResult.Permanent("The recipient is not a Russian phone number.");
        var body = new JsonObject
        {
            ["number"] = GatewayHttp.Setting(context.Settings, "sender"),
            ["destination"] = to.Value[1..],
            ["text"] = RenderText(context.Settings, message),
        };
        var masked = Masking.Phone(to.Value);
        using var req = Request(context.Settings, "SendSMS", body);
        try
        {
            using var resp = await http.CreateClient(ClientName).SendAsync(req, ct);
            var json = await ReadAsync(resp, ct);
            if (resp.IsSuccessStatusCode)
            {
                var id = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("message_id", out var mid)
                    ? mid.ValueKind == JsonValueKind.String ? mid.GetString() : mid.ValueKind == JsonValueKind.Number ? mid.GetRawText() : null
                    : null;
                if (string.IsNullOrEmpty(id))
                {
                    // Accepted but unreadable: the SMS probably left; resending could duplicate it.
                    log.LogWarning("Exolve accepted message {MessageId} to {To} without a message_id", message.MessageId, masked);
                    return ChannelSendResult.Sent(null);
                }
                log.LogInformation("Exolve accepted message {MessageId} to {To} as {ExolveId}", message.MessageId, masked, id);
                return ChannelSendResult.Sent(id);
            }
            // Only the status reaches the merchant (RemoteText); Exolve's words go to the operator's log.
            var reason = $"Exolve answered HTTP {(int)resp.StatusCode}";
            log.LogWarning("Exolve refused message {MessageId} to {To}: HTTP {Status} {Remote}", message.MessageId, masked, (int)resp.StatusCode, ForLog(json));
            if (GatewayHttp.IsUnavailable(resp.StatusCode)) return ChannelSendResult.Transient(reason, RetryAfter(resp));
            return ChannelSendResult.Permanent(resp.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                ? $"{reason} (check the account's apiKey)" : reason);
        }
        catch (Exception ex) when (GatewayHttp.IsUnavailable(ex) && !ct.IsCancellationRequested)
        {
            log.LogWarning("Exolve did not answer for message {MessageId} to {To}: {Error}", message.MessageId, masked, ex.GetType().Name);
            return ChannelSendResult.Transient($"Exolve did not answer: {ex.GetType().Name}.");
        }
    }

    /// <summary>A read-only call (GetCount over the last minute) that needs a valid key and sends nothing.</summary>
    public async Task<Result<string>> CheckCredentialsAsync(ChannelContext context, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var body = new JsonObject { ["date_gte"] = Rfc3339(now.AddMinutes(-1)), ["date_lte"] = Rfc3339(now) };
        using var req = Request(context.Settings, "GetCount", body);
        req.Options.Set(GatewayHttp.RetrySafe, true);
        try
        {
            using var resp = await http.CreateClient(ClientName).SendAsync(req, ct);
            if (resp.IsSuccessStatusCode) return $"Exolve accepted the API key; sender {GatewayHttp.Setting(context.Settings, "sender")}.";
            var json = await ReadAsync(resp, ct);
            log.LogWarning("Exolve connection test: HTTP {Status} {Remote}", (int)resp.StatusCode, ForLog(json));
            if (resp.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                return Error.Validation("settings.apiKey", $"Exolve rejected the API key (HTTP {(int)resp.StatusCode}).");
            return GatewayHttp.IsUnavailable(resp.StatusCode)
                ? Error.Unavailable($"Exolve answered HTTP {(int)resp.StatusCode}.")
                : Error.Declined($"Exolve answered HTTP {(int)resp.StatusCode}.");
        }
        catch (Exception ex) when (GatewayHttp.IsUnavailable(ex) && !ct.IsCancellationRequested)
        {
            return Error.Unavailable($"Exolve did not answer: {ex.GetType().Name}.");
        }
    }

    private static HttpRequestMessage Request(JsonObject settings, string method, JsonObject body)
    {
        var baseUrl = settings["baseUrl"]?.GetValue<string>() ?? DefaultBaseUrl;
        var req = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(baseUrl), "messaging/v1/" + method));
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayHttp.Setting(settings, "apiKey"));
        req.Content = new StringContent(body.ToJsonString(PaylinkJson.Output), Encoding.UTF8, "application/json");
        return req;
    }

    private static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static TimeSpan? RetryAfter(HttpResponseMessage resp) =>
        resp.Headers.RetryAfter switch
        {
            { Delta: { } d } => d,
            { Date: { } at } => at - (resp.Headers.Date ?? at) is var w && w > TimeSpan.Zero ? w : null,
            _ => null,
        };

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage resp, CancellationToken ct)
    {
        try
        {
            var bytes = await resp.Content.ReadAsByteArrayAsync(ct);
            return bytes.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(bytes);
        }
        catch (JsonException) { return default; }
    }

    private static string? ErrorMessage(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty("error", out var err)
            ? err.ValueKind == JsonValueKind.Object && err.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()
              : err.ValueKind == JsonValueKind.String ? err.GetString() : null
            : null;

    /// <summary>Exolve's error text for the operator's log: at most 200 characters, digit runs that could be
    /// phone numbers masked.</summary>
    private static string ForLog(JsonElement json) =>
        ErrorMessage(json) is { } m ? LongDigits().Replace(GatewayHttp.Truncate(m, 200), "***") : "";

    [GeneratedRegex(@"\+?\d[\d\- ()]{5,}\d")]
    private static partial Regex LongDigits();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9 ._-]{0,10}$")]
    private static partial Regex AlphaName();
}
