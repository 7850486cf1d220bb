using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Paylink.Providers.Channels.Vk;

/// <summary>One VK API answer: <c>{"response":…}</c>, or <c>{"error":{"error_code","error_msg"}}</c> (HTTP 200 all the same).</summary>
public sealed record VkResponse(JsonNode? Response, int ErrorCode, string? ErrorMessage, HttpStatusCode Status)
{
    public bool Ok => ErrorCode == 0 && Response is not null;
}

/// <summary>Raw HTTP client of the VK API: <c>POST {baseUrl}method/{name}</c> with form fields, the community
/// token and the API version among them (in the body, never the URL); the client's loggers are removed.</summary>
public sealed class VkApi(HttpClient http, string baseUrl, string token, string version)
{
    public const string ClientName = "vk";
    public const string DefaultBaseUrl = "https://api.vk.com/";
    public const string DefaultVersion = "5.199";

    /// <summary>Our own wording of a VK API error code; VK's <c>error_msg</c> is remote free text and is never shown
    /// to the merchant (<see cref="Paylink.Core.Common.RemoteText"/>). Negative codes are our "HTTP status without an answer".</summary>
    public static string Meaning(int errorCode) => errorCode switch
    {
        1 => "unknown VK error, try later",
        5 => "authorization failed: the community token is not valid",
        6 or 9 => "too many requests, VK asks to slow down",
        7 or 15 => "access denied: the token lacks the right for this",
        10 => "VK internal server error",
        18 => "the user was deleted or banned",
        27 => "the group token is not valid for this method",
        29 => "the method's rate limit is spent",
        100 => "a parameter is missing or not valid",
        113 => "the user id is not valid",
        900 => "the user blacklisted the community",
        901 => "the user has not allowed messages from the community",
        902 => "the user's privacy settings forbid messages",
        < 0 => $"HTTP {-errorCode} without a VK API answer",
        _ => "VK refused the request",
    };

    public async Task<VkResponse> CallAsync(string method, IEnumerable<KeyValuePair<string, string>> fields, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>>(fields) { new("access_token", token), new("v", version) };
        using var content = new FormUrlEncodedContent(form);
        using var response = await http.PostAsync($"{baseUrl}method/{method}", content, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonObject? o = null;
        try { o = JsonNode.Parse(text) as JsonObject; }
        catch (JsonException) { }
        if (o?["error"] is JsonObject error)
        {
            var code = error["error_code"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : -1;
            var msg = error["error_msg"] is JsonValue m && m.TryGetValue<string>(out var s) ? s : null;
            return new VkResponse(null, code, msg, response.StatusCode);
        }
        if (o?["response"] is { } r) return new VkResponse(r, 0, null, response.StatusCode);
        return new VkResponse(null, -(int)response.StatusCode, $"HTTP {(int)response.StatusCode} without a VK API answer", response.StatusCode);
    }
}
