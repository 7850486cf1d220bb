using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paylink.Core.Data;
using Paylink.Core.Messaging;
using Paylink.Core.PaymentLinks;

namespace Paylink.Providers.Channels.Telegram;

/// <summary>
/// POST /webhooks/telegram/{accountId}: Telegram's updates for one bot. Answers 401 without the account's
/// secret (X-Telegram-Bot-Api-Secret-Token, compared in constant time), 403 for a disabled account (nothing
/// processed), 200 for everything else it understood or chose to ignore (so Telegram does not repeat it).
/// </summary>
public static class TelegramWebhookEndpoint
{
    public const int MaxBodyBytes = 256 * 1024;
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    public static void MapTelegramWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/telegram/{accountId}", async (string accountId, HttpContext http, AppDbContext db, ChannelAccounts accounts,
            ReceiveChannelMessage receive, TelegramChannel telegram, TimeProvider clock, ILoggerFactory logs, CancellationToken ct) =>
        {
            var account = await db.ChannelAccounts.IgnoreQueryFilters()
                .FirstOrDefaultAsync(a => a.Id == accountId && a.Provider == "telegram" && a.DeletedAt == null, ct);
            if (account is null) return Results.Problem("Unknown Telegram channel account.", statusCode: StatusCodes.Status404NotFound);
            if (!accounts.WebhookSecretMatches(account, http.Request.Headers[SecretHeader].ToString()))
                return Results.Problem("Missing or wrong X-Telegram-Bot-Api-Secret-Token.", statusCode: StatusCodes.Status401Unauthorized);
            if (!account.Enabled) return Results.Problem("The channel account is disabled.", statusCode: StatusCodes.Status403Forbidden);

            var body = await ReadLimitedAsync(http.Request, ct);
            if (body is null) return Results.Problem($"Update must be at most {MaxBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
            JsonObject? update;
            try { update = JsonNode.Parse(body) as JsonObject; }
            catch (JsonException) { update = null; }
            if (update?["update_id"] is not JsonValue uid || !uid.TryGetValue<long>(out var updateId))
                return Results.Problem("The body is not a Telegram Update (update_id missing).", statusCode: StatusCodes.Status400BadRequest);

            var log = logs.CreateLogger(typeof(TelegramWebhookEndpoint));
            if (update["pre_checkout_query"] is JsonObject q)
            {
                await AnswerPreCheckoutAsync(q, account, db, accounts, telegram, clock, ct);
                return Results.Ok();
            }
            if ((update["message"] ?? update["edited_message"]) is not JsonObject msg || msg["chat"]?["id"] is not JsonValue chat)
            {
                log.LogDebug("Telegram update {UpdateId} of account {AccountId} ignored (no message)", updateId, account.Id);
                return Results.Ok();
            }
            var from = msg["from"] as JsonObject;
            var name = string.Join(' ', new[] { Str(from?["first_name"]), Str(from?["last_name"]) }.Where(s => !string.IsNullOrEmpty(s)));
            var lang = Str(from?["language_code"]) is { } lc && lc.StartsWith("en", StringComparison.Ordinal) ? "en" : "ru";
            var inbound = new InboundChannelMessage(chat.ToJsonString(), TextOf(msg), name.Length == 0 ? null : name, lang,
                msg["message_id"]?.ToJsonString(), updateId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await receive.HandleAsync(account, inbound, ct);
            return Results.Ok();
        }).DisableAntiforgery().ExcludeFromDescription();
    }

    /// <summary>The text of a message, or a short marker for what it carried instead (photo, file, sticker…).</summary>
    public static string TextOf(JsonObject msg)
    {
        if (Str(msg["text"]) is { Length: > 0 } text) return text;
        var caption = Str(msg["caption"]);
        string[] kinds = ["photo", "document", "video", "voice", "audio", "sticker", "animation", "video_note", "contact", "location", "successful_payment"];
        var kind = kinds.FirstOrDefault(k => msg[k] is not null) ?? "message";
        return caption is { Length: > 0 } ? $"[{kind}] {caption}" : $"[{kind}]";
    }

    /// <summary>Must be answered within 10 seconds: yes only while the link is open and the amount and currency match.</summary>
    private static async Task AnswerPreCheckoutAsync(JsonObject q, Core.Messaging.ChannelAccount account, AppDbContext db, ChannelAccounts accounts,
        TelegramChannel telegram, TimeProvider clock, CancellationToken ct)
    {
        var id = Str(q["id"]);
        if (id is null) return;
        var payload = Str(q["invoice_payload"]);
        var total = q["total_amount"] is JsonValue t && t.TryGetValue<long>(out var v) ? v : -1;
        var link = payload is null ? null : await db.PaymentLinks.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(l => l.Id == payload && l.MerchantId == account.MerchantId, ct);
        string? error = null;
        if (link is null || link.StatusAt(clock.GetUtcNow()) != LinkStatus.Open) error = "Счёт уже оплачен, отменён или истёк.";
        else if (link.AmountMinor != total || link.Currency != Str(q["currency"])) error = "Сумма счёта изменилась; запросите новый счёт.";
        // No native invoice is sent while successful_payment is not recorded (TelegramChannel.SupportsInvoices), so
        // a checkout here comes from an old or forged invoice: refuse it rather than take money we cannot book.
        error ??= "Оплата внутри Telegram недоступна: нажмите кнопку «Оплатить» в счёте.";
        var opened = accounts.Open(account);
        if (opened.IsSuccess) await telegram.AnswerPreCheckoutAsync(opened.Value.Context, id, error, ct);
    }

    private static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes) return null;
        using var ms = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            if (ms.Length + n > MaxBodyBytes) return null;
            ms.Write(buffer, 0, n);
        }
        return ms.ToArray();
    }
}
