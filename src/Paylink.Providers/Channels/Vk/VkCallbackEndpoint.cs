using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Data;
using Paylink.Core.Messaging;

namespace Paylink.Providers.Channels.Vk;

/// <summary>
/// POST /webhooks/vk/{accountId}: the community's Callback API. <c>{"type":"confirmation","group_id"}</c> for
/// the account's group is answered with the confirmation code as plain text (VK's handshake when the server
/// address is saved). Every other event must carry the account's <c>secret</c> (constant-time compare; 401
/// otherwise) and the account's <c>group_id</c> (403); <c>message_new</c> goes to the conversation, deduplicated
/// by <c>event_id</c>. Everything accepted is answered <c>ok</c> at once: VK resends events without it.
/// </summary>
public static class VkCallbackEndpoint
{
    public static void MapVkCallback(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/vk/{accountId}", async (string accountId, HttpContext http, AppDbContext db, ChannelAccounts accounts,
            ReceiveChannelMessage receive, CancellationToken ct) =>
        {
            var account = await db.ChannelAccounts.IgnoreQueryFilters()
                .FirstOrDefaultAsync(a => a.Id == accountId && a.Provider == VkChannel.ProviderId && a.DeletedAt == null, ct);
            if (account is null) return Results.Problem("Unknown VK channel account.", statusCode: StatusCodes.Status404NotFound);
            var body = await InboundBody.ReadLimitedAsync(http.Request, ct);
            if (body is null) return Results.Problem($"Event must be at most {InboundBody.MaxBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
            JsonObject? e;
            try { e = JsonNode.Parse(body) as JsonObject; }
            catch (JsonException) { e = null; }
            if (e?["type"] is not JsonValue t || !t.TryGetValue<string>(out var type))
                return Results.Problem("The body is not a Callback API event (type missing).", statusCode: StatusCodes.Status400BadRequest);
            var opened = accounts.Open(account);
            if (!opened.IsSuccess) return Results.Problem(opened.Error!.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
            var settings = opened.Value.Context.Settings;
            if (e["group_id"]?.ToJsonString() != VkChannel.GroupId(settings))
                return Results.Problem("The event is for another community (group_id).", statusCode: StatusCodes.Status403Forbidden);

            if (type == "confirmation")
                return Results.Text(settings["confirmationCode"]?.GetValue<string>() ?? "", "text/plain", Encoding.UTF8);
            if (!SecretMatches(settings["secret"]?.GetValue<string>(), e["secret"] is JsonValue s && s.TryGetValue<string>(out var given) ? given : null))
                return Results.Problem("Missing or wrong secret.", statusCode: StatusCodes.Status401Unauthorized);
            if (!account.Enabled) return Results.Problem("The channel account is disabled.", statusCode: StatusCodes.Status403Forbidden);

            if (type == "message_new" && Parse(e) is { } inbound) await receive.HandleAsync(account, inbound, ct);
            return Results.Text("ok", "text/plain", Encoding.UTF8);
        }).DisableAntiforgery().ExcludeFromDescription();
    }

    public static bool SecretMatches(string? stored, string? presented) =>
        !string.IsNullOrEmpty(stored) && !string.IsNullOrEmpty(presented)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(stored), Encoding.UTF8.GetBytes(presented));

    /// <summary>A user's message in the community's dialog (<c>object.message</c>); chats (peer ids ≥ 2·10⁹) are ignored.</summary>
    public static InboundChannelMessage? Parse(JsonObject e)
    {
        if (e["object"]?["message"] is not JsonObject msg) return null;
        if (Long(msg["from_id"]) is not { } from || from <= 0) return null;   // negative ids are communities
        var peer = Long(msg["peer_id"]) ?? from;
        if (peer != from) return null;
        var eventId = Str(e["event_id"]) ?? (Long(msg["id"]) is { } mid ? "msg:" + mid.ToString(CultureInfo.InvariantCulture) : null);
        if (eventId is null) return null;
        var lang = Long(e["object"]?["client_info"]?["lang_id"]) == 3 ? "en" : "ru";
        var text = Str(msg["text"]) is { Length: > 0 } tx ? tx
            : $"[{(msg["attachments"] as JsonArray)?.OfType<JsonObject>().Select(a => Str(a["type"])).FirstOrDefault(x => x is not null) ?? "message"}]";
        return new InboundChannelMessage(from.ToString(CultureInfo.InvariantCulture), text, null, lang, Long(msg["id"])?.ToString(CultureInfo.InvariantCulture), eventId);
    }

    private static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    private static long? Long(JsonNode? n) => n is JsonValue v && v.TryGetValue<long>(out var x) ? x : null;
}
