using System.Globalization;
using System.Text.Json.Nodes;
using Paylink.Core.Messaging;

namespace Paylink.Providers.Channels.Max;

/// <summary>
/// Turns a MAX <c>Update</c> (from the webhook or from GET /updates) into a client's message. <c>message_created</c>
/// in a dialog → its text (media as a marker), deduplicated by the message's <c>body.mid</c>; <c>bot_started</c>
/// → "/start" (the client pressed Start), deduplicated by user and timestamp. Anything else → null (ignored).
/// The address is the sender's user id, which is what <see cref="MaxChannel"/> sends to.
/// </summary>
public static class MaxInbound
{
    public static InboundChannelMessage? Parse(JsonObject update)
    {
        var type = Str(update["update_type"]);
        var lang = Str(update["user_locale"]) is { } l && l.StartsWith("en", StringComparison.Ordinal) ? "en" : "ru";
        if (type == "message_created" && update["message"] is JsonObject msg)
        {
            if (msg["sender"] is not JsonObject sender || Long(sender["user_id"]) is not { } user) return null;
            if (sender["is_bot"]?.GetValueKind() == System.Text.Json.JsonValueKind.True) return null;
            var chatType = Str(msg["recipient"]?["chat_type"]);
            if (chatType is not (null or "dialog")) return null;   // group chats are not client conversations
            var body = msg["body"] as JsonObject;
            var mid = Str(body?["mid"]);
            if (mid is null) return null;
            return new InboundChannelMessage(user.ToString(CultureInfo.InvariantCulture), TextOf(body!), Name(sender), lang, mid, "mid:" + mid);
        }
        if (type == "bot_started" && update["user"] is JsonObject u && Long(u["user_id"]) is { } starter)
        {
            var at = Long(update["timestamp"]) ?? 0;
            var id = starter.ToString(CultureInfo.InvariantCulture);
            return new InboundChannelMessage(id, "/start", Name(u), lang, null, $"start:{id}:{at.ToString(CultureInfo.InvariantCulture)}");
        }
        return null;
    }

    private static string TextOf(JsonObject body)
    {
        if (Str(body["text"]) is { Length: > 0 } text) return text;
        var kind = (body["attachments"] as JsonArray)?.OfType<JsonObject>().Select(a => Str(a["type"])).FirstOrDefault(t => t is not null);
        return $"[{kind ?? "message"}]";
    }

    private static string? Name(JsonObject user)
    {
        var name = Str(user["name"]);
        if (!string.IsNullOrWhiteSpace(name)) return name;
        var full = string.Join(' ', new[] { Str(user["first_name"]), Str(user["last_name"]) }.Where(s => !string.IsNullOrEmpty(s)));
        return full.Length == 0 ? null : full;
    }

    private static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    private static long? Long(JsonNode? n) => n is JsonValue v && v.TryGetValue<long>(out var x) ? x : null;
}
