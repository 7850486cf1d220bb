using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Common;
using Paylink.Core.Providers;
using Paylink.Providers.Gateways;

namespace Paylink.Providers.Channels.Telegram;

/// <summary>Section <c>Channels:Telegram</c>: flood limits kept before sending.</summary>
public sealed class TelegramOptions
{
    public const string Section = "Channels:Telegram";

    /// <summary>Least time between two messages to one chat, milliseconds (Telegram: about 1 per second).</summary>
    [Range(0, 60000)] public int PerChatIntervalMs { get; set; } = 1000;
    /// <summary>Messages per second per bot overall (Telegram: about 30).</summary>
    [Range(1, 1000)] public int GlobalPerSecond { get; set; } = 30;
    /// <summary>Longest wait for a send slot inside the job; beyond it the job is retried later.</summary>
    [Range(0, 60)] public double MaxInlineWaitSeconds { get; set; } = 5;
}

/// <summary>
/// Telegram bots over the raw Bot API. Settings: <c>botToken</c> (secret), optional <c>baseUrl</c> (a Bot API
/// server), optional <c>paymentsProviderToken</c> (secret; enables native invoices). Recipients are chat ids.
/// Sends with an inline URL button; 429 → transient with retry_after; 403 (blocked) and 400 (chat not
/// found) → permanent. Keeps the per-chat and per-bot limits with a <see cref="ChannelSendLimiter"/>.
/// </summary>
public sealed partial class TelegramChannel(IHttpClientFactory http, [FromKeyedServices(TelegramChannel.ProviderId)] ChannelSendLimiter limiter, Microsoft.Extensions.Options.IOptions<TelegramOptions> options)
    : IMessageChannel, IChannelCredentialsCheck, IChannelWebhookRegistration, IChannelNativeInvoice
{
    public const int MaxText = 4096;
    /// <summary>A document's caption is limited to 1024 characters by the Bot API.</summary>
    public const int MaxCaption = 1024;
    public static readonly string[] AllowedUpdates = ["message", "edited_message", "callback_query", "pre_checkout_query"];

    public const string ProviderId = "telegram";

    public string Id => ProviderId;
    public ChannelTraits Traits { get; } = new(SupportsButtons: true, SupportsHtml: false, IsSms: false, HasInboundWebhook: true,
        SupportsAttachments: true);

    public Result<JsonObject> ValidateSettings(JsonObject settings)
    {
        var e = new ValidationErrors();
        GatewayHttp.RejectUnknown(settings, e, "Telegram", "botToken", "baseUrl", "paymentsProviderToken");
        var token = GatewayHttp.Required(settings, "botToken", e, 200, "from @BotFather, like 123456789:AA…");
        if (token is not null && !TokenPattern().IsMatch(token))
        {
            e.Add("settings.botToken", "botToken must look like 123456789:AAE… (bot id, colon, secret) as @BotFather gives it.");
            token = null;
        }
        var baseUrl = GatewayHttp.BaseUrl(settings, e);
        string? payments = null;
        if (settings["paymentsProviderToken"] is not null) payments = GatewayHttp.Required(settings, "paymentsProviderToken", e, 200, "from @BotFather → Payments");
        if (e.Any) return e.ToError();
        var o = new JsonObject { ["botToken"] = token };
        if (baseUrl is not null) o["baseUrl"] = baseUrl;
        if (payments is not null) o["paymentsProviderToken"] = payments;
        return o;
    }

    public JsonObject MaskSettings(JsonObject s)
    {
        var token = GatewayHttp.Setting(s, "botToken");
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        var o = new JsonObject { ["botToken"] = colon > 0 ? token[..(colon + 1)] + Masking.Secret(token[(colon + 1)..]) : Masking.Secret(token) };
        if (s["baseUrl"] is not null) o["baseUrl"] = GatewayHttp.Setting(s, "baseUrl");
        if (s["paymentsProviderToken"] is not null) o["paymentsProviderToken"] = Masking.Secret(GatewayHttp.Setting(s, "paymentsProviderToken"));
        return o;
    }

    public Result<string> NormalizeRecipient(string to)
    {
        var t = to?.Trim() ?? "";
        if (long.TryParse(t, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var id) && id != 0)
            return id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (UsernamePattern().IsMatch(t)) return t;
        return Error.Validation("to", "to must be a Telegram chat id (a number such as 123456789) or a public @channelusername.");
    }

    /// <summary>A message with a file (a счёт's PDF) goes as <c>sendDocument</c> with the text as its caption; others as <c>sendMessage</c>.</summary>
    public async Task<ChannelSendResult> SendAsync(ChannelContext context, OutgoingChannelMessage message, CancellationToken ct)
    {
        var file = message.Attachments is { Count: > 0 } files ? files[0] : null;
        var body = new JsonObject { ["chat_id"] = ChatId(message.To) };
        if (file is null)
        {
            body["text"] = Cut(message.Text, MaxText);
            body["link_preview_options"] = new JsonObject { ["is_disabled"] = true };
        }
        else body["caption"] = Cut(message.Text, MaxCaption);
        if (message.Buttons is { Count: > 0 } buttons)
            body["reply_markup"] = new JsonObject
            {
                ["inline_keyboard"] = new JsonArray(buttons.Select(b => (JsonNode)new JsonArray(new JsonObject { ["text"] = b.Text, ["url"] = b.Url })).ToArray()),
            };
        return file is null ? await SendAsync(context, "sendMessage", message.To, body, ct) : await SendAsync(context, "sendDocument", message.To, body, ct, file);
    }

    /// <summary>
    /// Native invoices stay off until a <c>successful_payment</c> is recorded through the payment path: a client
    /// paying inside Telegram would otherwise leave the link open (and payable a second time). Invoices go as a
    /// message with the pay-page button; <c>paymentsProviderToken</c> is accepted and kept for when this lands.
    /// </summary>
    public bool SupportsInvoices(ChannelContext context) => false;

    public async Task<ChannelSendResult> SendInvoiceAsync(ChannelContext context, OutgoingChannelMessage message, ChannelInvoice invoice, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["chat_id"] = ChatId(message.To),
            ["title"] = Cut(invoice.Title, 32),
            ["description"] = Cut(invoice.Description.Length == 0 ? invoice.Title : invoice.Description, 255),
            ["payload"] = invoice.Payload,
            ["provider_token"] = GatewayHttp.Setting(context.Settings, "paymentsProviderToken"),
            ["currency"] = invoice.Currency,
            ["prices"] = new JsonArray(new JsonObject { ["label"] = Cut(invoice.Title, 32), ["amount"] = invoice.AmountMinor }),
        };
        return await SendAsync(context, "sendInvoice", message.To, body, ct);
    }

    public async Task<Result<string>> CheckCredentialsAsync(ChannelContext context, CancellationToken ct)
    {
        var r = await CallAsync(context, "getMe", [], ct);
        if (r is null) return Error.Unavailable("Telegram did not answer.");
        if (r.Ok) return $"Bot @{RemoteText.CodeOrMark(r.Result?["username"]?.ToString())} (id {RemoteText.CodeOrMark(r.Result?["id"]?.ToString())}) answers.";
        return r.ErrorCode is 401 or 404 ? Error.Declined("Telegram rejected the bot token (check settings.botToken).")
            : Error.Unavailable($"Telegram answered {r.ErrorCode}: {TelegramApi.Meaning(r.ErrorCode)}.");
    }

    public async Task<Result<string>> RegisterWebhookAsync(ChannelContext context, string secret, CancellationToken ct)
    {
        if (context.WebhookUrl is null) return Error.Conflict("no_webhook_url", "The account has no webhook URL.");
        var r = await CallAsync(context, "setWebhook", new JsonObject
        {
            ["url"] = context.WebhookUrl, ["secret_token"] = secret,
            ["allowed_updates"] = new JsonArray(AllowedUpdates.Select(u => (JsonNode)u).ToArray()),
        }, ct);
        if (r is null) return Error.Unavailable("Telegram did not answer.");
        if (r.Ok) return $"Telegram will send updates to {context.WebhookUrl}.";
        return r.ErrorCode is 401 or 404 ? Error.Declined("Telegram rejected the bot token (check settings.botToken).")
            : Error.Declined($"Telegram refused the webhook ({r.ErrorCode}: {TelegramApi.Meaning(r.ErrorCode)}).");
    }

    /// <summary>Answers a pre-checkout query (must happen within 10 seconds of the update).</summary>
    public async Task<bool> AnswerPreCheckoutAsync(ChannelContext context, string queryId, string? errorMessage, CancellationToken ct)
    {
        var body = new JsonObject { ["pre_checkout_query_id"] = queryId, ["ok"] = errorMessage is null };
        if (errorMessage is not null) body["error_message"] = errorMessage;
        var r = await CallAsync(context, "answerPreCheckoutQuery", body, ct);
        return r?.Ok == true;
    }

    private async Task<ChannelSendResult> SendAsync(ChannelContext context, string method, string chat, JsonObject body, CancellationToken ct,
        MessageAttachment? file = null)
    {
        var bot = BotId(context);
        var o = options.Value;
        if (!limiter.TryReserve(bot, chat, TimeSpan.FromSeconds(o.MaxInlineWaitSeconds), out var wait))
            return ChannelSendResult.Transient("Telegram flood limit: waiting for a send slot.", wait);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, limiter.Clock, ct);
        var r = await CallAsync(context, method, body, ct, file);
        if (r is null) return ChannelSendResult.Transient("Telegram did not answer (network error or timeout).");
        if (r.Ok) return ChannelSendResult.Sent(r.Result?["message_id"]?.ToJsonString());
        var reason = $"Telegram {r.ErrorCode}: {TelegramApi.Meaning(r.ErrorCode)}";
        switch (r.ErrorCode)
        {
            case 429:
                // The job waits retry_after (in business time) before the same request goes again.
                return ChannelSendResult.Transient(reason, TimeSpan.FromSeconds(Math.Max(1, r.RetryAfter ?? 1)));
            case >= 500:
                return ChannelSendResult.Transient(reason);
            default:
                // 400 chat not found / bad request, 403 bot blocked or user deactivated, 401/404 bad token:
                // sending the same request again cannot succeed.
                return ChannelSendResult.Permanent(reason);
        }
    }

    private async Task<TelegramResponse?> CallAsync(ChannelContext context, string method, JsonObject body, CancellationToken ct, MessageAttachment? file = null)
    {
        var api = new TelegramApi(http.CreateClient(TelegramApi.ClientName),
            context.Settings["baseUrl"]?.GetValue<string>() ?? TelegramApi.DefaultBaseUrl, GatewayHttp.Setting(context.Settings, "botToken"));
        try { return await api.CallAsync(method, body, ct, file is null ? null : "document", file); }
        catch (Exception ex) when (GatewayHttp.IsUnavailable(ex) && !ct.IsCancellationRequested) { return null; }
    }

    private static JsonNode ChatId(string to) =>
        long.TryParse(to, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var id) ? JsonValue.Create(id) : JsonValue.Create(to);

    private static string BotId(ChannelContext c)
    {
        var token = GatewayHttp.Setting(c.Settings, "botToken");
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? token[..colon] : c.AccountId;
    }

    private static string Cut(string s, int max)
    {
        if (s.Length <= max) return s;
        var end = max - 1;
        if (char.IsHighSurrogate(s[end - 1])) end--;
        return string.Concat(s.AsSpan(0, end), "…");
    }

    [GeneratedRegex(@"^\d{3,20}:[A-Za-z0-9_-]{20,100}$")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"^@[A-Za-z][A-Za-z0-9_]{4,31}$")]
    private static partial Regex UsernamePattern();
}
