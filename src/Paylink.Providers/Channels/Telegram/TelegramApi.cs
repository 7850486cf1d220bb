using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Paylink.Providers.Channels.Telegram;

/// <summary>One Bot API answer: <c>{"ok":true,"result":…}</c> or <c>{"ok":false,"error_code","description","parameters":{"retry_after"}}</c>.</summary>
public sealed record TelegramResponse(bool Ok, JsonNode? Result, int ErrorCode, string? Description, int? RetryAfter, HttpStatusCode Status);

/// <summary>Raw HTTP client of the Telegram Bot API: <c>POST {baseUrl}bot{token}/{method}</c> with a JSON body.
/// The token is part of the URL, so requests are never logged by URL (the client's loggers are removed).</summary>
public sealed class TelegramApi(HttpClient http, string baseUrl, string token)
{
    public const string ClientName = "telegram";
    public const string DefaultBaseUrl = "https://api.telegram.org/";

    /// <summary>Our own wording of a Bot API error code; Telegram's <c>description</c> is remote free text and is
    /// never shown to the merchant (<see cref="Paylink.Core.Common.RemoteText"/>).</summary>
    public static string Meaning(int errorCode) => errorCode switch
    {
        400 => "bad request (chat not found, message or button refused)",
        401 => "the bot token is not valid",
        403 => "the bot was blocked by the user or cannot write to this chat",
        404 => "the bot token or method was not found",
        409 => "another webhook or getUpdates client conflicts",
        413 => "the request is too large",
        429 => "too many requests, Telegram asks to wait",
        >= 500 and <= 599 => "Telegram server error",
        _ => "Telegram refused the request",
    };

    /// <summary>
    /// One Bot API call: JSON, or multipart/form-data when a file goes with it (<c>sendDocument</c>): then each body field is
    /// a form field (objects such as <c>reply_markup</c> JSON-serialised, as the Bot API reads them) and the file the
    /// <paramref name="fileField"/> part.
    /// </summary>
    public async Task<TelegramResponse> CallAsync(string method, JsonObject body, CancellationToken ct, string? fileField = null,
        Paylink.Core.Providers.MessageAttachment? file = null)
    {
        var url = $"{baseUrl}bot{token}/{method}";
        using var response = file is null ? await http.PostAsJsonAsync(url, body, ct) : await http.PostAsync(url, Multipart(body, fileField!, file), ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonNode? root = null;
        try { root = JsonNode.Parse(text); }
        catch (JsonException) { }
        if (root is not JsonObject o || o["ok"] is null)
            return new TelegramResponse(false, null, (int)response.StatusCode, $"HTTP {(int)response.StatusCode} without a Bot API answer", null, response.StatusCode);
        var ok = o["ok"]!.GetValueKind() == JsonValueKind.True;
        int? retryAfter = o["parameters"]?["retry_after"] is JsonValue ra && ra.TryGetValue<int>(out var r) ? r : null;
        var code = o["error_code"] is JsonValue ec && ec.TryGetValue<int>(out var c) ? c : (int)response.StatusCode;
        return new TelegramResponse(ok, o["result"], code, o["description"]?.GetValue<string>(), retryAfter, response.StatusCode);
    }

    private static MultipartFormDataContent Multipart(JsonObject body, string fileField, Paylink.Core.Providers.MessageAttachment file)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in body)
        {
            if (value is null) continue;
            form.Add(new StringContent(value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString()), name);
        }
        var content = new ByteArrayContent(file.Content);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(file.ContentType);
        form.Add(content, fileField, file.FileName);
        return form;
    }
}
