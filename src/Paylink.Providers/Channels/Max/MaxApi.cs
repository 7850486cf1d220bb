using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Paylink.Providers.Channels.Max;

/// <summary>One MAX Bot API answer: the JSON body on 2xx, or the error <c>{"code","message"}</c> with the HTTP status.</summary>
public sealed record MaxResponse(HttpStatusCode Status, JsonObject? Body, string? Code, string? Message, TimeSpan? RetryAfter)
{
    public bool Ok => (int)Status is >= 200 and < 300 && Body is not null;
}

/// <summary>Raw HTTP client of the MAX Bot API: the token goes in the <c>Authorization</c> header (query-string
/// tokens are no longer accepted), bodies are JSON. The client's loggers are removed all the same.</summary>
public sealed class MaxApi(HttpClient http, string baseUrl, string token)
{
    public const string ClientName = "max";
    /// <summary>dev.max.ru asks bots to call platform-api2.max.ru (platform-api.max.ru and botapi.max.ru are older).</summary>
    public const string DefaultBaseUrl = "https://platform-api2.max.ru/";

    /// <summary>Our own wording of a MAX HTTP status; MAX's <c>message</c> is remote free text and is never shown
    /// to the merchant (<see cref="Paylink.Core.Common.RemoteText"/>).</summary>
    public static string Meaning(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => "bad request (dialog not found or message refused)",
        HttpStatusCode.Unauthorized => "the bot token is not valid",
        HttpStatusCode.Forbidden => "the bot is blocked or may not write to this user",
        HttpStatusCode.NotFound => "the user or method was not found",
        HttpStatusCode.MethodNotAllowed => "the method is not allowed",
        HttpStatusCode.RequestTimeout => "MAX timed out",
        HttpStatusCode.TooManyRequests => "too many requests, MAX asks to wait",
        >= HttpStatusCode.InternalServerError => "MAX server error",
        _ => "MAX refused the request",
    };

    /// <summary>"MAX 400 code: meaning" — the status, MAX's error code when it is a token, and our meaning.</summary>
    public static string Describe(MaxResponse r) =>
        $"MAX {(int)r.Status}{(Paylink.Core.Common.RemoteText.Code(r.Code) is { } c ? " " + c : "")}: {Meaning(r.Status)}";

    public async Task<MaxResponse> CallAsync(HttpMethod method, string pathAndQuery, JsonObject? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, baseUrl + pathAndQuery.TrimStart('/'));
        request.Headers.TryAddWithoutValidation("Authorization", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonObject? o = null;
        try { o = JsonNode.Parse(text) as JsonObject; }
        catch (JsonException) { }
        var retryAfter = response.Headers.RetryAfter?.Delta;
        if (response.IsSuccessStatusCode) return new MaxResponse(response.StatusCode, o ?? [], null, null, retryAfter);
        return new MaxResponse(response.StatusCode, null, Str(o?["code"]), Str(o?["message"]) ?? $"HTTP {(int)response.StatusCode}", retryAfter);
    }

    private static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
