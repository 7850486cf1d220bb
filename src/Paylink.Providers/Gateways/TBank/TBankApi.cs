using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paylink.Core.Common;

namespace Paylink.Providers.Gateways.TBank;

/// <summary>
/// T-Bank Internet Acquiring v2 over HTTP: every method is a JSON POST signed with <see cref="TBankToken"/>.
/// HTTP 200 carries business errors too (Success/ErrorCode). Only read-only methods are marked retry-safe:
/// Init/Confirm/Cancel/Charge have no idempotency key at T-Bank, so they are never repeated automatically.
/// </summary>
public sealed class TBankApi(HttpClient http, string baseUrl, string terminalKey, string password)
{
    public const string ClientName = "tbank";
    public const string DefaultBaseUrl = "https://securepay.tinkoff.ru/v2/";
    /// <summary>Error codes the bank documents as "try again later".</summary>
    private static readonly HashSet<string> RetryLater = ["3", "55", "99", "120", "123", "125"];

    public sealed record Reply(JsonElement Body)
    {
        public bool Success => Body.TryGetProperty(nameof(Success), out var s) && s.ValueKind == JsonValueKind.True;
        public string ErrorCode => Str("ErrorCode") ?? "";
        public string? Str(string name) => Body.TryGetProperty(name, out var v)
            ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Number => v.GetRawText(), _ => null } : null;
        public long? Long(string name) => long.TryParse(Str(name), out var n) ? n : null;
        public string Describe() => $"T-Bank error {ErrorCode}: {Str("Message")} {Str("Details")}".Trim();
    }

    public async Task<Result<Reply>> CallAsync(string method, JsonObject body, bool retrySafe, CancellationToken ct)
    {
        body["TerminalKey"] = terminalKey;
        body["Token"] = TBankToken.Compute(body, password);
        using var req = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(baseUrl), method))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (retrySafe) req.Options.Set(GatewayHttp.RetrySafe, true);
        try
        {
            using var resp = await http.SendAsync(req, ct);
            if (GatewayHttp.IsUnavailable(resp.StatusCode)) return Error.Unavailable($"T-Bank answered HTTP {(int)resp.StatusCode}.");
            if (!resp.IsSuccessStatusCode) return Error.Declined($"T-Bank answered HTTP {(int)resp.StatusCode}.");
            var json = await resp.Content.ReadFromJsonAsync<JsonElement>(ct);
            var reply = new Reply(json);
            if (reply.Success && reply.ErrorCode is "0" or "") return reply;
            return RetryLater.Contains(reply.ErrorCode) ? Error.Unavailable(reply.Describe()) : Error.Declined(reply.Describe());
        }
        catch (Exception ex) when (GatewayHttp.IsUnavailable(ex) && !ct.IsCancellationRequested)
        {
            return Error.Unavailable($"T-Bank did not answer: {ex.GetType().Name}.");
        }
        catch (JsonException)
        {
            return Error.Unavailable("T-Bank answered with a body that is not JSON.");
        }
    }
}
