using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paylink.Core.Common;

namespace Paylink.Providers.Gateways.YooKassa;

/// <summary>
/// YooKassa API v3: Basic auth (shopId:secretKey), an Idempotence-Key on every POST (so the resilience
/// handler may repeat it), and HTTP 202 "still processing" answered by waiting <c>retry_after</c> ms and
/// repeating the same request with the same key (at most 3 times, as the official SDKs do).
/// </summary>
public sealed class YooKassaApi(HttpClient http, string baseUrl, string shopId, string secretKey)
{
    public const string ClientName = "yookassa";
    public const string DefaultBaseUrl = "https://api.yookassa.ru/v3/";
    private const int Max202 = 3;

    public async Task<Result<JsonElement>> SendAsync(HttpMethod method, string path, JsonObject? body, string? idempotenceKey, CancellationToken ct)
    {
        for (var tries = 0; ; tries++)
        {
            using var req = new HttpRequestMessage(method, new Uri(new Uri(baseUrl), path));
            req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{shopId}:{secretKey}")));
            if (idempotenceKey is not null) req.Headers.Add("Idempotence-Key", idempotenceKey);
            if (body is not null) req.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            try
            {
                using var resp = await http.SendAsync(req, ct);
                var json = resp.Content.Headers.ContentLength == 0 ? default : await ReadAsync(resp, ct);
                if (resp.StatusCode == HttpStatusCode.Accepted)
                {
                    if (tries >= Max202) return Error.Unavailable("YooKassa is still processing the request; its outcome is not known yet.");
                    var wait = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("retry_after", out var ra) && ra.TryGetInt32(out var ms) ? ms : 1800;
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(wait, 0, 10_000)), TimeProvider.System, ct);
                    continue;
                }
                if (resp.IsSuccessStatusCode) return json;
                // Only the code and parameter tokens: YooKassa's description is remote free text (RemoteText).
                var code = RemoteText.Code(Str(json, "code"));
                var parameter = RemoteText.Code(Str(json, "parameter"));
                var detail = code is null ? "" : $"{code}{(parameter is null ? "" : $" ({parameter})")}";
                var message = $"YooKassa answered HTTP {(int)resp.StatusCode} {detail}".Trim();
                return GatewayHttp.IsUnavailable(resp.StatusCode) ? Error.Unavailable(message) : Error.Declined(message);
            }
            catch (Exception ex) when (GatewayHttp.IsUnavailable(ex) && !ct.IsCancellationRequested)
            {
                return Error.Unavailable($"YooKassa did not answer: {ex.GetType().Name}.");
            }
        }
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage resp, CancellationToken ct)
    {
        try { return await resp.Content.ReadFromJsonAsync<JsonElement>(ct); }
        catch (JsonException) { return default; }
    }

    public static string? Str(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
