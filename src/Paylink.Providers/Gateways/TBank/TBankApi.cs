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
        /// <summary>The error as the merchant sees it: the code token and our own meaning of it, never the bank's
        /// Message/Details (remote free text, see <see cref="RemoteText"/>).</summary>
        public string Describe() => $"T-Bank error {RemoteText.CodeOrMark(ErrorCode)}: {Meaning(ErrorCode)}";
    }

    /// <summary>Our own wording of the error codes T-Bank documents (protocols/tbank.md §13); others get a generic line.</summary>
    public static string Meaning(string? code) => code switch
    {
        "1" => "параметры запроса не сопоставлены (parameters do not match)",
        "2" => "не переданы обязательные параметры (required parameters missing)",
        "3" or "55" or "99" or "120" or "123" or "125" => "временная ошибка банка, повторите позже (temporary error, try again later)",
        "4" => "нельзя изменить статус платежа (payment status cannot change)",
        "7" => "неверный статус покупателя (wrong customer status)",
        "8" => "неверный статус операции (wrong transaction status)",
        "9" => "неверные параметры: пустой адрес перенаправления (redirect URL empty)",
        "10" => "терминалу запрещены рекуррентные списания (Charge is blocked for the terminal)",
        "11" => "невозможно провести платёж (payment cannot be made)",
        "12" => "неверный RedirectDueDate (wrong RedirectDueDate)",
        "20" => "такой номер заказа уже был (duplicate order id)",
        "53" => "обратитесь к продавцу (contact the seller)",
        "101" => "не пройдена идентификация 3-D Secure (3-D Secure failed)",
        "102" or "103" or "104" => "банк отклонил операцию, попробуйте другую карту (declined by the issuer)",
        "116" => "недостаточно средств (insufficient funds)",
        "119" => "слишком много запросов авторизации (too many authorization requests)",
        "201" => "обязательное поле не заполнено (a required field is empty)",
        "202" => "терминал заблокирован (terminal blocked)",
        "204" or "205" => "неверный токен: проверьте ключ терминала и пароль (invalid token: check terminal key and password)",
        "207" or "208" or "209" => "слишком большой блок DATA (DATA too big)",
        "501" => "терминал заблокирован или не найден (terminal blocked or not found)",
        "1126" => "OperationInitiatorType не согласуется с Recurrent/RebillId",
        _ when int.TryParse(code, out var n) && n is >= 210 and <= 239 => "неверная длина или формат поля (field length or format)",
        _ => $"T-Bank отклонил запрос (код {RemoteText.CodeOrMark(code)})",
    };

    /// <summary>Codes that say the terminal key or password is wrong or the terminal cannot be used.</summary>
    public static bool IsCredentialsCode(string? code) => code is "202" or "204" or "205" or "501";

    /// <summary>Like <see cref="CallAsync"/> but classifies the business answer: failures of transport, HTTP or
    /// JSON are errors; a <c>Success=false</c> answer is returned as is for the caller to read.</summary>
    public async Task<Result<Reply>> CallRawAsync(string method, JsonObject body, bool retrySafe, CancellationToken ct)
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
            if (json.ValueKind != JsonValueKind.Object) return Error.Unavailable("T-Bank answered with JSON that is not an object.");
            return new Reply(json);
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

    /// <summary>One call; a business error (<c>Success=false</c> or a non-zero ErrorCode) becomes Declined, or
    /// Unavailable for the codes the bank documents as "try again later".</summary>
    public async Task<Result<Reply>> CallAsync(string method, JsonObject body, bool retrySafe, CancellationToken ct)
    {
        var raw = await CallRawAsync(method, body, retrySafe, ct);
        if (!raw.IsSuccess) return raw;
        var reply = raw.Value;
        if (reply.Success && reply.ErrorCode is "0" or "") return reply;
        return RetryLater.Contains(reply.ErrorCode) ? Error.Unavailable(reply.Describe()) : Error.Declined(reply.Describe());
    }
}
