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
