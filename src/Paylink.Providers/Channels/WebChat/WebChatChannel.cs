using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Paylink.Core.Common;
using Paylink.Core.Providers;
using Paylink.Providers.Gateways;

namespace Paylink.Providers.Channels.WebChat;

/// <summary>
/// The merchant's own web chat (/chat/{slug} and the embeddable widget). No secrets: settings are an optional
/// <c>slug</c> (the public chat address) and <c>title</c>. Delivery is the stored message itself: the
/// visitor's page polls its conversation, so sending only confirms.
/// </summary>
public sealed partial class WebChatChannel : IMessageChannel
{
    public const int MaxTitle = 100;

    public string Id => "webchat";
    public ChannelTraits Traits { get; } = new(SupportsButtons: true, SupportsHtml: false, IsSms: false, IsSiteWidget: true);

    public Result<JsonObject> ValidateSettings(JsonObject settings)
    {
        var e = new ValidationErrors();
        GatewayHttp.RejectUnknown(settings, e, "Web chat", "slug", "title", "widget");
        var o = new JsonObject();
        if (settings["slug"] is { } slug)
        {
            var s = slug.GetValueKind() == System.Text.Json.JsonValueKind.String ? slug.GetValue<string>().Trim().ToLowerInvariant() : null;
            if (s is null || !SlugPattern().IsMatch(s)) e.Add("settings.slug", "slug must be 3–64 characters: lowercase latin letters, digits and '-'.");
            else o["slug"] = s;
        }
        if (settings["title"] is { } title)
        {
            var t = title.GetValueKind() == System.Text.Json.JsonValueKind.String ? title.GetValue<string>().Trim() : null;
            if (string.IsNullOrEmpty(t) || t.Length > MaxTitle) e.Add("settings.title", $"title must be 1–{MaxTitle} characters.");
            else o["title"] = t;
        }
        // "widget" is shown by the API (the embed snippet); sending it back in an update is harmless and ignored.
        return e.Any ? e.ToError() : o;
    }

    public JsonObject MaskSettings(JsonObject settings) => (JsonObject)settings.DeepClone();

    public Result<string> NormalizeRecipient(string to)
    {
        var t = to?.Trim() ?? "";
        return VisitorPattern().IsMatch(t) ? t : Error.Validation("to", "to must be a web-chat visitor id (wv_…), as shown in the conversation.");
    }

    /// <summary>The message row is the delivery: the visitor's page shows it on its next poll.</summary>
    public Task<ChannelSendResult> SendAsync(ChannelContext context, OutgoingChannelMessage message, CancellationToken ct) =>
        Task.FromResult(ChannelSendResult.Sent(message.MessageId));

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,63}$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^wv_[A-Za-z0-9_-]{16,64}$")]
    private static partial Regex VisitorPattern();
}
