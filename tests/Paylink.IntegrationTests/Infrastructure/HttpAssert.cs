using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Paylink.IntegrationTests.Infrastructure;

public static class HttpAssert
{
    /// <summary>The response body as text with HTML character references decoded (&amp;#xA0; → NBSP).</summary>
    public static async Task<string> HtmlAsync(this HttpResponseMessage response) =>
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} but got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts a problem-details answer with the status and, when given, an error for the field.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var body = await response.ReadJsonAsync(status);
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString());
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
        if (field is not null)
        {
            Assert.True(body.TryGetProperty("errors", out var errors), "problem has no errors: " + body);
            Assert.True(errors.TryGetProperty(field, out _), $"no error for '{field}' in {errors}");
        }
        return body;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient c, string url, string json) => c.PostAsync(url, Json(json));
    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient c, string url, string json) => c.PutAsync(url, Json(json));

    /// <summary>Switches the merchant's chat assistant off: client messages wait for the manager.</summary>
    public static async Task AssistantOffAsync(this HttpClient c) =>
        await (await c.PutJsonAsync("/api/v1/assistant/settings", """{"enabled":false}""")).ReadJsonAsync(HttpStatusCode.OK);

    public static async Task<JsonElement> CreateLinkAsync(this HttpClient c, long amount = 250000, string description = "Маникюр")
    {
        var r = await c.PostAsJsonAsync("/api/v1/links", new { amount, currency = "RUB", description });
        return await r.ReadJsonAsync(HttpStatusCode.Created);
    }
}
