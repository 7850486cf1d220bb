using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Paylink.Core.Common;
using Paylink.Core.Providers;
using Paylink.Providers.Gateways;

namespace Paylink.Providers.Receipts.MoyNalog;

/// <summary>Section <c>Receipts:MoyNalog</c>. The address is the tax service's, fixed for every merchant; a
/// deployment may point it elsewhere only for tests or a proxy (never a merchant setting).</summary>
public sealed class MoyNalogOptions
{
    public const string Section = "Receipts:MoyNalog";
    public const string DefaultBaseUrl = "https://lknpd.nalog.ru/api/v1/";

    public string BaseUrl { get; set; } = DefaultBaseUrl;
    /// <summary>The public receipt link's base (the buyer opens it); follows <see cref="BaseUrl"/> unless set.</summary>
    public string? ReceiptBaseUrl { get; set; }

    internal Uri Base => new(BaseUrl.EndsWith('/') ? BaseUrl : BaseUrl + "/");
}

/// <summary>
/// Provider <c>moynalog</c>: the «Мой налог» cabinet's JSON API (../shared/protocols/npd-moy-nalog.md, option A).
/// Signs in with ИНН + password (<c>POST auth/lkfl</c>) or, for Госуслуги-only accounts, with a refresh token bound
/// to a device id (<c>POST auth/token</c>); keeps the access token in the session; on a 401 refreshes once and
/// repeats the call once. Registers (<c>POST income</c>), cancels (<c>POST cancel</c>) and looks incomes up
/// (<c>GET incomes</c>) for unknown outcomes. Not an official API: any answer it does not understand is a loud
/// <see cref="SelfEmployedFailureKind.Refused"/> (the receipt waits, the merchant sees why), never a guess.
/// Classification: a connect failure, 503 and 429 mean nothing was processed; a timeout or reset after a POST was
/// sent, 500, 502 and 504 mean the outcome is unknown.
/// </summary>
public sealed class MoyNalogReceipts(IHttpClientFactory http, IOptions<MoyNalogOptions> options, TimeProvider clock) : ISelfEmployedReceipts
{
    public const string ProviderId = "moynalog";
    public const string ClientName = "moynalog";
    private const string Moscow = "Europe/Moscow";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Id => ProviderId;

    public Result<JsonObject> ValidateSettings(JsonObject settings)
    {
        var e = new ValidationErrors();
        GatewayHttp.RejectUnknown(settings, e, "«Мой налог»", "inn", "password", "refreshToken", "deviceId");
        var inn = GatewayHttp.Required(settings, "inn", e, 12, "the seller's ИНН, 12 digits");
        if (inn is not null && (inn.Length != 12 || !inn.All(char.IsAsciiDigit))) e.Add("settings.inn", "inn must be the self-employed person's ИНН: 12 digits.");
        var password = Str(settings, "password");
        var refresh = Str(settings, "refreshToken");
        var device = Str(settings, "deviceId");
        if (password is null && refresh is null)
            e.Add("settings", "Give either password (sign-in by ИНН and password) or refreshToken with deviceId (accounts that sign in through Госуслуги).");
        if (password is not null && refresh is not null) e.Add("settings.refreshToken", "Give either password or refreshToken, not both.");
        if (refresh is not null && device is null) e.Add("settings.deviceId", "deviceId is required with refreshToken: the token is bound to the device it was issued to.");
        if (password is { Length: > 200 }) e.Add("settings.password", "password must be at most 200 characters.");
        if (refresh is { Length: > 2000 }) e.Add("settings.refreshToken", "refreshToken must be at most 2000 characters.");
        if (device is { Length: > 100 }) e.Add("settings.deviceId", "deviceId must be at most 100 characters.");
        if (e.Any) return e.ToError();
        var normalised = new JsonObject { ["inn"] = inn, ["deviceId"] = device ?? NewDeviceId() };
        if (password is not null) normalised["password"] = password;
        if (refresh is not null) normalised["refreshToken"] = refresh;
        return normalised;
    }

    public JsonObject MaskSettings(JsonObject settings)
    {
        var masked = new JsonObject { ["inn"] = Str(settings, "inn"), ["deviceId"] = Str(settings, "deviceId") };
        masked["mode"] = Str(settings, "password") is null ? "refreshToken" : "password";
        if (Str(settings, "password") is not null) masked["password"] = "****";
        if (Str(settings, "refreshToken") is { } t) masked["refreshToken"] = Masking.Secret(t);
        return masked;
    }

    public string InnOf(JsonObject settings) => Str(settings, "inn") ?? "";

    public string ReceiptUrl(string sellerInn, string receiptId)
    {
        var o = options.Value;
        var b = o.ReceiptBaseUrl ?? o.Base.ToString();
        return $"{(b.EndsWith('/') ? b : b + "/")}receipt/{sellerInn}/{Uri.EscapeDataString(receiptId)}/print";
    }

    public async Task<SelfEmployedOutcome<string>> TestAsync(SelfEmployedContext context, CancellationToken ct)
    {
        // A fresh sign-in proves the credentials (a cached access token would prove nothing about them).
        context.ReplaceSession(null);
        var session = await SignInAsync(context, ct);
        if (!session.IsSuccess) return session.Failure!;
        return context.Session?["inn"]?.GetValue<string>() ?? InnOf(context.Settings);
    }

    public async Task<SelfEmployedOutcome<SelfEmployedRegistered>> RegisterAsync(SelfEmployedContext context, SelfEmployedIncome income, CancellationToken ct)
    {
        var body = IncomeBody(income);
        var r = await CallAsync(context, HttpMethod.Post, "income", body, unknownOnFault: true, ct);
        if (!r.IsSuccess) return r.Failure!;
        // The id becomes part of the buyer's link: only a token is taken (ADR 8).
        if (r.Value.TryGetProperty("approvedReceiptUuid", out var id) && id.ValueKind == JsonValueKind.String && RemoteText.Code(id.GetString()) is { } uuid)
            return new SelfEmployedRegistered(uuid);
        return Changed("income", "approvedReceiptUuid missing");
    }

    public async Task<SelfEmployedOutcome<SelfEmployedFound?>> FindAsync(SelfEmployedContext context, SelfEmployedIncome income, CancellationToken ct)
    {
        var from = Format(income.OperationTime.AddDays(-1));
        var to = Format(income.OperationTime.AddDays(1));
        const int limit = 50;
        for (var offset = 0; offset < 20 * limit; offset += limit)
        {
            var path = $"incomes?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}&offset={offset.ToString(CultureInfo.InvariantCulture)}" +
                $"&sortBy=operation_time:desc&limit={limit.ToString(CultureInfo.InvariantCulture)}";
            var r = await CallAsync(context, HttpMethod.Get, path, null, unknownOnFault: false, ct);
            if (!r.IsSuccess) return r.Failure!;
            if (!r.Value.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array) return Changed("incomes", "content missing");
            foreach (var item in content.EnumerateArray())
                if (Matches(item, income) && item.TryGetProperty("approvedReceiptUuid", out var id) && id.ValueKind == JsonValueKind.String
                    && RemoteText.Code(id.GetString()) is { } uuid)
                {
                    var cancelled = item.TryGetProperty("cancellationInfo", out var c) && c.ValueKind == JsonValueKind.Object;
                    return new SelfEmployedFound(uuid, cancelled);
                }
            var more = r.Value.TryGetProperty("hasMore", out var h) && h.ValueKind == JsonValueKind.True;
            if (!more || content.GetArrayLength() == 0) break;
        }
        return (SelfEmployedFound?)null;
    }

    public async Task<SelfEmployedOutcome<bool>> CancelAsync(SelfEmployedContext context, SelfEmployedCancel cancel, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["operationTime"] = Format(cancel.OperationTime), ["requestTime"] = Format(clock.GetUtcNow()),
            ["comment"] = cancel.Reason == SelfEmployedCancelReason.Refund ? "Возврат средств" : "Чек сформирован ошибочно",
            ["receiptUuid"] = cancel.ReceiptId, ["partnerCode"] = null,
        };
        var r = await CallAsync(context, HttpMethod.Post, "cancel", body, unknownOnFault: true, ct);
        if (r.IsSuccess) return true;
        if (r.Failure!.Kind != SelfEmployedFailureKind.Refused) return r.Failure;
        // Refused: perhaps it is cancelled already (a repeat after an unknown outcome); the receipt itself says.
        var state = await CallAsync(context, HttpMethod.Get, $"receipt/{InnOf(context.Settings)}/{Uri.EscapeDataString(cancel.ReceiptId)}/json", null, false, ct);
        if (state.IsSuccess && state.Value.TryGetProperty("cancellationInfo", out var ci) && ci.ValueKind == JsonValueKind.Object) return true;
        return r.Failure;
    }

    private JsonObject IncomeBody(SelfEmployedIncome income)
    {
        var services = new JsonArray();
        for (var i = 0; i < income.Services.Count; i++)
        {
            var s = income.Services[i];
            // The first line carries our receipt id: what a lookup matches after an unknown outcome.
            var name = i == 0 ? Tagged(s.Name, income.Tag) : s.Name;
            services.Add(new JsonObject { ["name"] = name, ["amount"] = Rub(s.AmountMinor), ["quantity"] = s.Quantity });
        }
        var legal = income.ClientType == SelfEmployedClientType.LegalEntity;
        return new JsonObject
        {
            ["operationTime"] = Format(income.OperationTime), ["requestTime"] = Format(clock.GetUtcNow()),
            ["services"] = services, ["totalAmount"] = MoneyFormat.Decimal(income.AmountMinor),
            ["client"] = new JsonObject
            {
                ["contactPhone"] = null, ["displayName"] = legal ? income.ClientName : null, ["inn"] = legal ? income.ClientInn : null,
                ["incomeType"] = legal ? "FROM_LEGAL_ENTITY" : "FROM_INDIVIDUAL",
            },
            // Card and SBP money reaches the seller's account by bank transfer.
            ["paymentType"] = "WIRE", ["ignoreMaxTotalIncomeRestriction"] = false,
        };
    }

    public static string Tagged(string name, string tag)
    {
        var suffix = $" [{tag}]";
        const int max = 256;
        return name.Length + suffix.Length <= max ? name + suffix : name[..(max - suffix.Length)] + suffix;
    }

    private static bool Matches(JsonElement item, SelfEmployedIncome income)
    {
        var tag = $"[{income.Tag}]";
        var named = Names(item).Any(n => n.Contains(tag, StringComparison.Ordinal));
        if (!named) return false;
        if (item.TryGetProperty("totalAmount", out var t))
        {
            var amount = t.ValueKind == JsonValueKind.Number ? (long?)decimal.ToInt64(t.GetDecimal() * 100)
                : t.ValueKind == JsonValueKind.String ? MoneyFormat.ParseDecimal(t.GetString()) : null;
            if (amount is { } a && a != income.AmountMinor) return false;
        }
        return true;
    }

    private static IEnumerable<string> Names(JsonElement item)
    {
        if (item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String) yield return n.GetString()!;
        foreach (var key in new[] { "services", "description" })
            if (item.TryGetProperty(key, out var arr) && arr.ValueKind == JsonValueKind.Array)
                foreach (var s in arr.EnumerateArray())
                {
                    if (s.ValueKind == JsonValueKind.String) yield return s.GetString()!;
                    else if (s.ValueKind == JsonValueKind.Object && s.TryGetProperty("name", out var sn) && sn.ValueKind == JsonValueKind.String) yield return sn.GetString()!;
                }
    }

    /// <summary>One API call with the session's access token: signs in first when there is none (or it expired), and on a
    /// 401 refreshes once and repeats once.</summary>
    private async Task<SelfEmployedOutcome<JsonElement>> CallAsync(SelfEmployedContext context, HttpMethod method, string path, JsonObject? body,
        bool unknownOnFault, CancellationToken ct)
    {
        if (AccessToken(context) is null)
        {
            var signed = await SignInAsync(context, ct);
            if (!signed.IsSuccess) return signed.Failure!;
        }
        for (var attempt = 0; ; attempt++)
        {
            var r = await SendAsync(method, path, body, AccessToken(context), unknownOnFault, ct);
            if (r.Status != HttpStatusCode.Unauthorized) return r.Outcome;
            if (attempt > 0) return new SelfEmployedFailure(SelfEmployedFailureKind.Credentials, $"{path.Split('?')[0]}: «Мой налог» refused a fresh access token (401).");
            // The access token expired or was revoked (a password sign-in elsewhere): refresh once, then repeat once.
            var refreshed = await RefreshAsync(context, ct);
            if (!refreshed.IsSuccess) return refreshed.Failure!;
        }
    }

    private string? AccessToken(SelfEmployedContext context)
    {
        if (context.Session?["token"]?.GetValue<string>() is not { Length: > 0 } token) return null;
        if (context.Session["expiresAt"]?.GetValue<string>() is { } exp && DateTimeOffset.TryParse(exp, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            && at <= clock.GetUtcNow().AddSeconds(30)) return null;
        return token;
    }

    private async Task<SelfEmployedOutcome<bool>> SignInAsync(SelfEmployedContext context, CancellationToken ct)
    {
        if (Str(context.Settings, "password") is null || context.Session?["refreshToken"] is not null) return await RefreshAsync(context, ct);
        var body = new JsonObject
        {
            ["username"] = InnOf(context.Settings), ["password"] = Str(context.Settings, "password"), ["deviceInfo"] = DeviceInfo(context),
        };
        var r = await SendAsync(HttpMethod.Post, "auth/lkfl", body, null, unknownOnFault: false, ct);
        if (r.Status is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.UnprocessableEntity)
            return new SelfEmployedFailure(SelfEmployedFailureKind.Credentials, $"sign-in refused: wrong ИНН or password ({Reason(r)})");
        if (!r.Outcome.IsSuccess) return r.Outcome.Failure!;
        return Keep(context, r.Outcome.Value, "auth/lkfl");
    }

    private async Task<SelfEmployedOutcome<bool>> RefreshAsync(SelfEmployedContext context, CancellationToken ct)
    {
        var refresh = context.Session?["refreshToken"]?.GetValue<string>() ?? Str(context.Settings, "refreshToken");
        if (refresh is null)
        {
            context.ReplaceSession(null);
            return await SignInAsync(context, ct);
        }
        var body = new JsonObject { ["refreshToken"] = refresh, ["deviceInfo"] = DeviceInfo(context) };
        var r = await SendAsync(HttpMethod.Post, "auth/token", body, null, unknownOnFault: false, ct);
        if (r.Status is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.UnprocessableEntity)
        {
            if (Str(context.Settings, "password") is not null && context.Session?["refreshToken"] is not null)
            {
                // A stored refresh token that stopped working: the password still signs in.
                context.ReplaceSession(null);
                return await SignInAsync(context, ct);
            }
            return new SelfEmployedFailure(SelfEmployedFailureKind.Credentials,
                $"the refresh token or device id was refused ({Reason(r)}): take both again from a signed-in browser session");
        }
        if (!r.Outcome.IsSuccess) return r.Outcome.Failure!;
        return Keep(context, r.Outcome.Value, "auth/token", refresh);
    }

    private SelfEmployedOutcome<bool> Keep(SelfEmployedContext context, JsonElement answer, string call, string? previousRefresh = null)
    {
        if (!answer.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String) return Changed(call, "token missing");
        var session = new JsonObject { ["token"] = token.GetString() };
        if (answer.TryGetProperty("tokenExpireIn", out var exp) && exp.ValueKind == JsonValueKind.String) session["expiresAt"] = exp.GetString();
        var refresh = answer.TryGetProperty("refreshToken", out var rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString() : previousRefresh;
        if (refresh is not null) session["refreshToken"] = refresh;
        if (answer.TryGetProperty("profile", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("inn", out var inn) && inn.ValueKind == JsonValueKind.String
            && inn.GetString() is { Length: 12 } digits && digits.All(char.IsAsciiDigit))
            session["inn"] = digits;
        context.ReplaceSession(session);
        return true;
    }

    private JsonObject DeviceInfo(SelfEmployedContext context) => new()
    {
        ["sourceDeviceId"] = Str(context.Settings, "deviceId"), ["sourceType"] = "WEB", ["appVersion"] = "1.0.0",
        ["metaDetails"] = new JsonObject { ["userAgent"] = "Paylink" },
    };

    private sealed record Sent(HttpStatusCode? Status, SelfEmployedOutcome<JsonElement> Outcome, string? Message);

    private async Task<Sent> SendAsync(HttpMethod method, string path, JsonObject? body, string? token, bool unknownOnFault, CancellationToken ct)
    {
        var call = path.Split('?')[0];
        using var request = new HttpRequestMessage(method, new Uri(options.Value.Base, path));
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        HttpResponseMessage response;
        try
        {
            response = await http.CreateClient(ClientName).SendAsync(request, ct);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                                              || ex.InnerException is OutboundRefusedException)
        {
            return new(null, new SelfEmployedFailure(SelfEmployedFailureKind.Unavailable, $"{call}: «Мой налог» could not be reached ({ex.HttpRequestError})."), null);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && GatewayHttp.IsUnavailable(ex))
        {
            var kind = unknownOnFault ? SelfEmployedFailureKind.Unknown : SelfEmployedFailureKind.Unavailable;
            return new(null, new SelfEmployedFailure(kind, $"{call}: no answer from «Мой налог» ({ex.GetType().Name})."), null);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonElement root = default;
            var parsed = false;
            try { root = JsonDocument.Parse(text).RootElement.Clone(); parsed = root.ValueKind == JsonValueKind.Object; }
            catch (JsonException) { }
            // Only the code token is kept, never the free-text message (ADR 8: remote text never reaches the merchant).
            var message = parsed && root.TryGetProperty("code", out var m) && m.ValueKind == JsonValueKind.String ? RemoteText.Code(m.GetString()) : null;
            var status = response.StatusCode;
            if (response.IsSuccessStatusCode)
                return new(status, parsed ? (SelfEmployedOutcome<JsonElement>)root : Changed(call, "the answer is not a JSON object"), message);
            var detail = $"{call}: «Мой налог» answered HTTP {(int)status}{(message is null ? "" : ", code " + message)}";
            var retryAfter = response.Headers.RetryAfter?.Delta;
            if (status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
                return new(status, new SelfEmployedFailure(SelfEmployedFailureKind.Unavailable, detail, retryAfter), message);
            if ((int)status >= 500 || status == HttpStatusCode.RequestTimeout)
                return new(status, new SelfEmployedFailure(unknownOnFault ? SelfEmployedFailureKind.Unknown : SelfEmployedFailureKind.Unavailable, detail, retryAfter), message);
            if (status == HttpStatusCode.Unauthorized)
                return new(status, new SelfEmployedFailure(SelfEmployedFailureKind.Credentials, detail), message);
            return new(status, new SelfEmployedFailure(SelfEmployedFailureKind.Refused, detail), message);
        }
    }

    private static string Reason(Sent r) => $"HTTP {(int)(r.Status ?? 0)}" + (r.Message is null ? "" : ", code " + r.Message);

    private static SelfEmployedFailure Changed(string call, string what) =>
        new(SelfEmployedFailureKind.Refused, $"{call}: unexpected answer from «Мой налог» ({what}); its API may have changed.");

    private static decimal Rub(long minor) => minor / 100m;

    /// <summary>ISO 8601 with the Moscow offset, as the cabinet's own web client sends it.</summary>
    private static string Format(DateTimeOffset t)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Moscow);
        return TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
    }

    private static string NewDeviceId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(11)).ToLowerInvariant()[..21];

    private static string? Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;
}
