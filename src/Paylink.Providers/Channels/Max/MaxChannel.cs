using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Paylink.Core.Common;
using Paylink.Core.Providers;
using Paylink.Providers.Gateways;

namespace Paylink.Providers.Channels.Max;

/// <summary>Section <c>Channels:Max</c>: flood limits and the extra trusted roots.</summary>
public sealed class MaxOptions
{
    public const string Section = "Channels:Max";

    /// <summary>Least time between two messages into one dialog, milliseconds (MAX: at most about 2 per second).</summary>
    [Range(0, 60000)] public int PerDialogIntervalMs { get; set; } = 500;
    /// <summary>Requests per second per bot overall (MAX: about 30).</summary>
    [Range(1, 1000)] public int PerBotPerSecond { get; set; } = 30;
    /// <summary>Longest wait for a send slot inside the job; beyond it the job is retried later.</summary>
    [Range(0, 60)] public double MaxInlineWaitSeconds { get; set; } = 5;
    /// <summary>A PEM file of extra root certificates (the Russian Ministry of Digital Development root) added to
    /// the chain check of calls to MAX. Empty: system roots only.</summary>
    public string? TrustedRootsPemPath { get; set; }
}

/// <summary>
/// MAX messenger bots (dev.max.ru). Settings: <c>botToken</c> (secret, from business.max.ru → Чат-боты), optional
/// <c>baseUrl</c>. Recipients are MAX user ids (a bot may write only to a user who wrote to it first). Sends
/// with an inline keyboard of <c>link</c> buttons; 429 and 5xx → transient (Retry-After honoured); 400/403/404
/// (unknown or closed dialog, bot blocked) → permanent. Keeps per-bot and per-dialog limits before sending.
/// MAX has no idempotency key, so a send that timed out after MAX accepted it may arrive twice.
/// </summary>
public sealed class MaxChannel(IHttpClientFactory http, [FromKeyedServices(MaxChannel.ProviderId)] ChannelSendLimiter limiter, IOptions<MaxOptions> options)
    : IMessageChannel, IChannelCredentialsCheck, IChannelWebhookRegistration
{
    public const string ProviderId = "max";
    public const int MaxText = 4000;
    public static readonly string[] UpdateTypes = ["message_created", "bot_started", "message_callback"];

    public string Id => ProviderId;
    public ChannelTraits Traits { get; } = new(SupportsButtons: true, SupportsHtml: false, IsSms: false, HasInboundWebhook: true);

    public Result<JsonObject> ValidateSettings(JsonObject settings)
    {
        var e = new ValidationErrors();
        GatewayHttp.RejectUnknown(settings, e, "MAX", "botToken", "baseUrl");
        var token = GatewayHttp.Required(settings, "botToken", e, 300, "from business.max.ru → Чат-боты → Настройки");
        if (token is not null && (token.Length < 20 || token.Any(char.IsWhiteSpace)))
        {
            e.Add("settings.botToken", "botToken must be the bot's access token as business.max.ru shows it (20+ characters, no spaces).");
            token = null;
        }
        var baseUrl = GatewayHttp.BaseUrl(settings, e);
        if (e.Any) return e.ToError();
        var o = new JsonObject { ["botToken"] = token };
        if (baseUrl is not null) o["baseUrl"] = baseUrl;
        return o;
    }

    public JsonObject MaskSettings(JsonObject s)
    {
        var o = new JsonObject { ["botToken"] = Masking.Secret(GatewayHttp.Setting(s, "botToken")) };
        if (s["baseUrl"] is not null) o["baseUrl"] = GatewayHttp.Setting(s, "baseUrl");
        return o;
    }

    public Result<string> NormalizeRecipient(string to)
    {
        var t = to?.Trim() ?? "";
        if (long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0) return id.ToString(CultureInfo.InvariantCulture);
        return Error.Validation("to", "to must be a MAX user id (a positive number): the client has to write to the bot first.");
    }

    public async Task<ChannelSendResult> SendAsync(ChannelContext context, OutgoingChannelMessage message, CancellationToken ct)
    {
        var body = new JsonObject { ["text"] = Cut(message.Text, MaxText), ["notify"] = true };
        if (message.Buttons is { Count: > 0 } buttons)
            body["attachments"] = new JsonArray(new JsonObject
            {
                ["type"] = "inline_keyboard",
                ["payload"] = new JsonObject
                {
                    ["buttons"] = new JsonArray(buttons.Select(b => (JsonNode)new JsonArray(
                        new JsonObject { ["type"] = "link", ["text"] = Cut(b.Text, 128), ["url"] = b.Url })).ToArray()),
                },
            });

        var o = options.Value;
        var wait = await limiter.WaitForSlotAsync(BotKey(context), message.To, TimeSpan.FromSeconds(o.MaxInlineWaitSeconds), ct);
        if (wait is not null) return ChannelSendResult.Transient("MAX rate limit: waiting for a send slot.", wait);
        var r = await CallAsync(context, HttpMethod.Post, "messages?user_id=" + message.To, body, ct);
        if (r is null) return ChannelSendResult.Transient("MAX did not answer (network error or timeout).");
        if (r.Ok)
        {
            var mid = r.Body!["message"]?["body"]?["mid"];
            return ChannelSendResult.Sent(mid is JsonValue v && v.TryGetValue<string>(out var s) ? s : mid?.ToJsonString());
        }
        var reason = MaxApi.Describe(r);
        return r.Status switch
        {
            HttpStatusCode.TooManyRequests => ChannelSendResult.Transient(reason, r.RetryAfter ?? TimeSpan.FromSeconds(1)),
            HttpStatusCode.RequestTimeout => ChannelSendResult.Transient(reason, r.RetryAfter),
            >= HttpStatusCode.InternalServerError => ChannelSendResult.Transient(reason, r.RetryAfter),
            // 400 bad request / dialog not found, 401 bad token, 403 bot blocked or not allowed to write, 404 unknown user.
            _ => ChannelSendResult.Permanent(reason),
        };
    }

    public async Task<Result<string>> CheckCredentialsAsync(ChannelContext context, CancellationToken ct)
    {
        var r = await CallAsync(context, HttpMethod.Get, "me", null, ct);
        if (r is null) return Error.Unavailable("MAX did not answer.");
        if (r.Ok) return $"Bot @{RemoteText.CodeOrMark(Str(r.Body!["username"]))} (id {RemoteText.CodeOrMark(r.Body!["user_id"]?.ToString())}) answers.";
        return r.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            ? Error.Declined("MAX rejected the bot token (check settings.botToken).")
            : Error.Unavailable($"MAX answered {MaxApi.Describe(r)}.");
    }

    /// <summary>POST /subscriptions with our URL and secret; MAX then sends it in X-Max-Bot-Api-Secret and long polling stops.</summary>
    public async Task<Result<string>> RegisterWebhookAsync(ChannelContext context, string secret, CancellationToken ct)
    {
        if (context.WebhookUrl is null) return Error.Conflict("no_webhook_url", "The account has no webhook URL.");
        var r = await CallAsync(context, HttpMethod.Post, "subscriptions", new JsonObject
        {
            ["url"] = context.WebhookUrl, ["secret"] = secret,
            ["update_types"] = new JsonArray(UpdateTypes.Select(u => (JsonNode)u).ToArray()),
        }, ct);
        if (r is null) return Error.Unavailable("MAX did not answer.");
        if (r.Ok && r.Body!["success"]?.GetValueKind() != System.Text.Json.JsonValueKind.False) return $"MAX will send updates to {context.WebhookUrl}.";
        return r.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            ? Error.Declined("MAX rejected the bot token (check settings.botToken).")
            : Error.Declined($"MAX refused the subscription ({(r.Ok ? "success=false" : MaxApi.Describe(r))}).");
    }

    /// <summary>GET /updates after <paramref name="marker"/> (long polling without a wait: the periodic task calls again).</summary>
    public async Task<(IReadOnlyList<JsonObject> Updates, long? Marker)?> PollAsync(ChannelContext context, long? marker, CancellationToken ct)
    {
        var query = "updates?limit=100&timeout=0&types=" + string.Join(',', UpdateTypes)
            + (marker is { } m ? "&marker=" + m.ToString(CultureInfo.InvariantCulture) : "");
        var r = await CallAsync(context, HttpMethod.Get, query, null, ct);
        if (r is null || !r.Ok) return null;
        var updates = (r.Body!["updates"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        long? next = r.Body!["marker"] is JsonValue v && v.TryGetValue<long>(out var n) ? n : marker;
        return (updates, next);
    }

    private async Task<MaxResponse?> CallAsync(ChannelContext context, HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        var api = new MaxApi(http.CreateClient(MaxApi.ClientName),
            context.Settings["baseUrl"]?.GetValue<string>() ?? MaxApi.DefaultBaseUrl, GatewayHttp.Setting(context.Settings, "botToken"));
        try { return await api.CallAsync(method, path, body, ct); }
        catch (Exception ex) when (GatewayHttp.IsUnavailable(ex) && !ct.IsCancellationRequested) { return null; }
    }

    /// <summary>The per-bot limit key: the account (one bot token per account).</summary>
    private static string BotKey(ChannelContext c) => c.AccountId;

    private static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    internal static string Cut(string s, int max)
    {
        if (s.Length <= max) return s;
        var end = max - 1;
        if (char.IsHighSurrogate(s[end - 1])) end--;
        return string.Concat(s.AsSpan(0, end), "…");
    }
}
