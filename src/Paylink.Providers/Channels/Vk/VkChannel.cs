using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Paylink.Core.Common;
using Paylink.Core.Providers;
using Paylink.Providers.Gateways;

namespace Paylink.Providers.Channels.Vk;

/// <summary>Section <c>Channels:Vk</c>: flood limits kept before sending.</summary>
public sealed class VkOptions
{
    public const string Section = "Channels:Vk";

    /// <summary>Least time between two messages into one dialog, milliseconds.</summary>
    [Range(0, 60000)] public int PerDialogIntervalMs { get; set; } = 500;
    /// <summary>API calls per second per community token (VK: about 20).</summary>
    [Range(1, 1000)] public int PerCommunityPerSecond { get; set; } = 20;
    /// <summary>Longest wait for a send slot inside the job; beyond it the job is retried later.</summary>
    [Range(0, 60)] public double MaxInlineWaitSeconds { get; set; } = 5;
}

/// <summary>
/// VK community messages (dev.vk.com). Settings: <c>accessToken</c> (secret, a community token with the
/// <c>messages</c> right), <c>groupId</c>, <c>confirmationCode</c> (the string the Callback API settings show),
/// <c>secret</c> (secret, the Callback API "Секретный ключ"), optional <c>apiVersion</c> (default 5.199) and
/// <c>baseUrl</c>. Recipients are peer ids. <c>messages.send</c> carries a <c>random_id</c> derived from our
/// message id, so a retried send is dropped by VK instead of doubling; links go as <c>open_link</c> buttons.
/// Errors come with HTTP 200: 6 (too many requests per second), 9 (flood control), 10/1 (VK internal) →
/// transient; 901/902/900 (the user has not allowed messages, privacy, blacklist), 5/7/15/100 → permanent.
/// </summary>
public sealed partial class VkChannel(IHttpClientFactory http, [FromKeyedServices(VkChannel.ProviderId)] Channels.ChannelSendLimiter limiter, IOptions<VkOptions> options)
    : IMessageChannel, IChannelCredentialsCheck
{
    public const string ProviderId = "vk";
    public const int MaxText = 4096;

    public string Id => ProviderId;
    public ChannelTraits Traits { get; } = new(SupportsButtons: true, SupportsHtml: false, IsSms: false, HasInboundWebhook: true);

    public Result<JsonObject> ValidateSettings(JsonObject settings)
    {
        var e = new ValidationErrors();
        GatewayHttp.RejectUnknown(settings, e, "VK", "accessToken", "groupId", "confirmationCode", "secret", "apiVersion", "baseUrl");
        var token = GatewayHttp.Required(settings, "accessToken", e, 400, "community → Управление → Работа с API → Ключи доступа, with the messages right");
        if (token is not null && (token.Length < 20 || token.Any(char.IsWhiteSpace)))
        {
            e.Add("settings.accessToken", "accessToken must be a community access token (vk1.a.… or 85 hex characters, no spaces).");
            token = null;
        }
        long? groupId = settings["groupId"] switch
        {
            JsonValue v when v.TryGetValue<long>(out var n) && n > 0 => n,
            JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 => n,
            _ => null,
        };
        if (groupId is null) e.Add("settings.groupId", "groupId is required: the community's numeric id (club123456 → 123456).");
        var confirmation = GatewayHttp.Required(settings, "confirmationCode", e, 64, "Callback API → «Строка, которую должен вернуть сервер»");
        var secret = GatewayHttp.Required(settings, "secret", e, 50, "Callback API → «Секретный ключ»; every event carries it");
        string? version = null;
        if (settings["apiVersion"] is not null)
        {
            version = GatewayHttp.Required(settings, "apiVersion", e, 10);
            if (version is not null && !VersionPattern().IsMatch(version)) { e.Add("settings.apiVersion", "apiVersion must look like 5.199."); version = null; }
        }
        var baseUrl = GatewayHttp.BaseUrl(settings, e);
        if (e.Any) return e.ToError();
        var o = new JsonObject { ["accessToken"] = token, ["groupId"] = groupId, ["confirmationCode"] = confirmation, ["secret"] = secret };
        if (version is not null) o["apiVersion"] = version;
        if (baseUrl is not null) o["baseUrl"] = baseUrl;
        return o;
    }

    public JsonObject MaskSettings(JsonObject s)
    {
        var o = new JsonObject
        {
            ["accessToken"] = Masking.Secret(GatewayHttp.Setting(s, "accessToken")), ["groupId"] = s["groupId"]?.DeepClone(),
            ["confirmationCode"] = GatewayHttp.Setting(s, "confirmationCode"), ["secret"] = Masking.Secret(GatewayHttp.Setting(s, "secret")),
            ["apiVersion"] = Version(s),
        };
        if (s["baseUrl"] is not null) o["baseUrl"] = GatewayHttp.Setting(s, "baseUrl");
        return o;
    }

    public Result<string> NormalizeRecipient(string to)
    {
        var t = to?.Trim() ?? "";
        if (t.StartsWith("id", StringComparison.Ordinal)) t = t[2..];
        if (long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id is > 0 and < 2_000_000_000)
            return id.ToString(CultureInfo.InvariantCulture);
        return Error.Validation("to", "to must be a VK user id (a positive number such as 123456 or id123456) who allowed messages from the community.");
    }

    /// <summary>VK's idempotency key for <paramref name="messageId"/>: a positive int32 from its SHA-256, the same on every retry.</summary>
    public static int RandomId(string messageId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(messageId), hash);
        var n = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(hash) & int.MaxValue;
        return n == 0 ? 1 : n;
    }

    public async Task<ChannelSendResult> SendAsync(ChannelContext context, OutgoingChannelMessage message, CancellationToken ct)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("peer_id", message.To), new("message", Max.MaxChannel.Cut(message.Text, MaxText)),
            new("random_id", RandomId(message.MessageId).ToString(CultureInfo.InvariantCulture)), new("dont_parse_links", "1"),
        };
        if (message.Buttons is { Count: > 0 } buttons)
        {
            var keyboard = new JsonObject
            {
                ["inline"] = true,
                ["buttons"] = new JsonArray(buttons.Select(b => (JsonNode)new JsonArray(new JsonObject
                {
                    ["action"] = new JsonObject { ["type"] = "open_link", ["link"] = b.Url, ["label"] = Max.MaxChannel.Cut(b.Text, 40) },
                })).ToArray()),
            };
            fields.Add(new("keyboard", keyboard.ToJsonString()));
        }
        var o = options.Value;
        var wait = await limiter.WaitForSlotAsync(context.AccountId, message.To, TimeSpan.FromSeconds(o.MaxInlineWaitSeconds), ct);
        if (wait is not null) return ChannelSendResult.Transient("VK rate limit: waiting for a send slot.", wait);
        var r = await CallAsync(context, "messages.send", fields, ct);
        if (r is null) return ChannelSendResult.Transient("VK did not answer (network error or timeout).");
        if (r.Ok) return ChannelSendResult.Sent(r.Response!.ToJsonString());
        var reason = $"VK error {r.ErrorCode}: {VkApi.Meaning(r.ErrorCode)}";
        return r.ErrorCode switch
        {
            6 => ChannelSendResult.Transient(reason, TimeSpan.FromSeconds(1)),          // too many requests per second
            9 => ChannelSendResult.Transient(reason, TimeSpan.FromMinutes(1)),          // flood control: same action too often
            29 => ChannelSendResult.Transient(reason, TimeSpan.FromHours(1)),           // the method's quota is spent
            1 or 10 or < 0 => ChannelSendResult.Transient(reason),                      // VK internal / HTTP failure
            // 901 user has not allowed messages, 902 privacy settings, 900 blacklisted, 5 token invalid, 7/15 no right, 100 bad parameter.
            _ => ChannelSendResult.Permanent(reason),
        };
    }

    public async Task<Result<string>> CheckCredentialsAsync(ChannelContext context, CancellationToken ct)
    {
        var r = await CallAsync(context, "groups.getById", [new("group_id", GroupId(context.Settings))], ct);
        if (r is null) return Error.Unavailable("VK did not answer.");
        if (!r.Ok)
            return r.ErrorCode is 5 or 15 or 27 or 100
                ? Error.Declined($"VK rejected the community token or group (check settings.accessToken, settings.groupId): VK error {r.ErrorCode}, {VkApi.Meaning(r.ErrorCode)}.")
                : Error.Unavailable($"VK answered error {r.ErrorCode}: {VkApi.Meaning(r.ErrorCode)}.");
        var group = (r.Response as JsonArray ?? r.Response?["groups"] as JsonArray)?.FirstOrDefault();
        // The community's name is remote text too: only its numeric id is quoted.
        return $"Community club{RemoteText.CodeOrMark(group?["id"]?.ToString())} answers.";
    }

    public static string GroupId(JsonObject settings) => settings["groupId"]?.ToJsonString().Trim('"') ?? "";

    private static string Version(JsonObject s) => s["apiVersion"]?.GetValue<string>() ?? VkApi.DefaultVersion;

    private async Task<VkResponse?> CallAsync(ChannelContext context, string method, IEnumerable<KeyValuePair<string, string>> fields, CancellationToken ct)
    {
        var api = new VkApi(http.CreateClient(VkApi.ClientName), context.Settings["baseUrl"]?.GetValue<string>() ?? VkApi.DefaultBaseUrl,
            GatewayHttp.Setting(context.Settings, "accessToken"), Version(context.Settings));
        try { return await api.CallAsync(method, fields, ct); }
        catch (Exception ex) when (GatewayHttp.IsUnavailable(ex) && !ct.IsCancellationRequested) { return null; }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d\.\d{1,3}$")]
    private static partial System.Text.RegularExpressions.Regex VersionPattern();
}
