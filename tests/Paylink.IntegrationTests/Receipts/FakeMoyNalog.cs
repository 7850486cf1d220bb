using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Receipts;

/// <summary>
/// The «Мой налог» cabinet's JSON API on 127.0.0.1 as ../shared/protocols/npd-moy-nalog.md describes it:
/// POST auth/lkfl (ИНН + password; a new sign-in revokes older access tokens), POST auth/token (refresh token bound
/// to its device id), POST income → approvedReceiptUuid, POST cancel, GET incomes (by period, paged), GET
/// receipt/{inn}/{uuid}/json. Bearer tokens are checked on every call (401 otherwise). Faults on demand: an outage
/// (503), a timeout after the income was processed, a timeout before processing.
/// </summary>
public sealed class FakeMoyNalog : IAsyncDisposable
{
    public const string Inn = "500100732259";
    public const string DeviceId = "dev0123456789abcdefgh";

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private int _next;

    public string Password { get; set; } = "correct-horse";
    /// <summary>The refresh token a Госуслуги session handed out (bound to <see cref="DeviceId"/>).</summary>
    public string GosuslugiRefreshToken { get; set; } = "rt-gosuslugi-0123456789";
    public HashSet<string> AccessTokens { get; } = [];
    public HashSet<string> RefreshTokens { get; } = [];
    public List<JsonObject> Incomes { get; } = [];
    public List<string> Calls { get; } = [];
    /// <summary>Every call but sign-in answers 503.</summary>
    public bool Outage { get; set; }
    /// <summary>The next N income calls are processed, then answered only after the client gave up.</summary>
    public int TimeoutAfterProcessing { get; set; }
    /// <summary>The next N income calls hang without being processed.</summary>
    public int TimeoutBeforeProcessing { get; set; }
    public TimeSpan Hang { get; set; } = TimeSpan.FromSeconds(3);
    /// <summary>How long a processed income takes to be answered (within the client's timeout).</summary>
    public TimeSpan IncomeDelay { get; set; }

    public string BaseUrl => _app.Urls.First() + "/api/v1/";
    public int Count(string call) { lock (_lock) return Calls.Count(c => c == call); }

    private FakeMoyNalog(WebApplication app) => _app = app;

    public static async Task<FakeMoyNalog> StartAsync()
    {
        FakeMoyNalog? fake = null;
        var app = await LoopbackApp.StartAsync(a =>
        {
            a.MapPost("/api/v1/auth/lkfl", async (HttpRequest r) => fake!.SignIn(await Body(r)));
            a.MapPost("/api/v1/auth/token", async (HttpRequest r) => fake!.Refresh(await Body(r)));
            a.MapPost("/api/v1/income", async (HttpRequest r, CancellationToken ct) => await fake!.IncomeAsync(r, await Body(r), ct));
            a.MapPost("/api/v1/cancel", async (HttpRequest r) => fake!.Cancel(r, await Body(r)));
            a.MapGet("/api/v1/incomes", (HttpRequest r) => fake!.List(r));
            a.MapGet("/api/v1/receipt/{inn}/{uuid}/json", (string inn, string uuid, HttpRequest r) => fake!.Receipt(inn, uuid));
        });
        return fake = new FakeMoyNalog(app);
    }

    public void Reset()
    {
        lock (_lock)
        {
            Password = "correct-horse";
            GosuslugiRefreshToken = "rt-gosuslugi-0123456789";
            AccessTokens.Clear();
            RefreshTokens.Clear();
            Incomes.Clear();
            Calls.Clear();
            Outage = false;
            TimeoutAfterProcessing = 0;
            TimeoutBeforeProcessing = 0;
            IncomeDelay = TimeSpan.Zero;
        }
    }

    /// <summary>Every access token stops working (expired), refresh tokens still do.</summary>
    public void ExpireAccessTokens() { lock (_lock) AccessTokens.Clear(); }

    public List<JsonObject> Live() { lock (_lock) return Incomes.Where(i => i["cancellationInfo"] is null).ToList(); }

    private static async Task<JsonObject> Body(HttpRequest r) => await System.Text.Json.Nodes.JsonNode.ParseAsync(r.Body) as JsonObject ?? [];

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new JsonObject { ["code"] = code, ["message"] = message }, statusCode: status);

    private IResult Tokens(bool newRefresh, string? keepRefresh = null)
    {
        var n = Interlocked.Increment(ref _next);
        var access = $"at-{n}";
        var refresh = newRefresh ? $"rt-{n}" : keepRefresh!;
        AccessTokens.Add(access);
        RefreshTokens.Add(refresh);
        return Results.Json(new JsonObject
        {
            ["token"] = access, ["tokenExpireIn"] = "2099-01-01T00:00:00.000Z", ["refreshToken"] = refresh,
            ["profile"] = new JsonObject { ["inn"] = Inn, ["displayName"] = "Иванова Анна Сергеевна" },
        });
    }

    private IResult SignIn(JsonObject body)
    {
        lock (_lock)
        {
            Calls.Add("auth/lkfl");
            if (body["deviceInfo"]?["sourceDeviceId"] is null) return Error(400, "validation", "deviceInfo.sourceDeviceId обязателен");
            if (body["username"]?.GetValue<string>() != Inn || body["password"]?.GetValue<string>() != Password)
                return Error(422, "authentication.failed", "Указан неверный ИНН или пароль");
            AccessTokens.Clear();   // a password sign-in revokes the older access tokens
            return Tokens(newRefresh: true);
        }
    }

    private IResult Refresh(JsonObject body)
    {
        lock (_lock)
        {
            Calls.Add("auth/token");
            var token = body["refreshToken"]?.GetValue<string>();
            var device = body["deviceInfo"]?["sourceDeviceId"]?.GetValue<string>();
            var gosuslugi = token == GosuslugiRefreshToken && device == DeviceId;
            if (!gosuslugi && (token is null || !RefreshTokens.Contains(token))) return Error(400, "refresh.failed", "Refresh token не найден или отозван");
            return Tokens(newRefresh: false, keepRefresh: token);
        }
    }

    private IResult? Unauthorized(HttpRequest r, string call)
    {
        lock (_lock)
        {
            Calls.Add(call);
            var auth = r.Headers.Authorization.ToString();
            if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || !AccessTokens.Contains(auth[7..]))
                return Error(401, "unauthorized", "Требуется авторизация");
            return Outage ? Error(503, "unavailable", "Сервис временно недоступен") : null;
        }
    }

    private async Task<IResult> IncomeAsync(HttpRequest r, JsonObject body, CancellationToken ct)
    {
        if (Unauthorized(r, "income") is { } refused) return refused;
        bool hangBefore, hangAfter;
        lock (_lock)
        {
            hangBefore = TimeoutBeforeProcessing > 0;
            if (hangBefore) TimeoutBeforeProcessing--;
            hangAfter = !hangBefore && TimeoutAfterProcessing > 0;
            if (hangAfter) TimeoutAfterProcessing--;
        }
        if (hangBefore)
        {
            await Task.Delay(Hang, CancellationToken.None);
            return Error(503, "unavailable", "Сервис временно недоступен");
        }
        var services = body["services"] as JsonArray;
        var total = body["totalAmount"]?.GetValue<string>();
        if (services is null || services.Count == 0 || total is null) return Error(400, "validation", "services и totalAmount обязательны");
        var sum = services.Sum(s => s!["amount"]!.GetValue<decimal>() * s["quantity"]!.GetValue<int>());
        if (sum.ToString("0.00", CultureInfo.InvariantCulture) != total) return Error(400, "validation", $"Сумма услуг {sum} не равна totalAmount {total}");
        var client = body["client"] as JsonObject;
        if (client?["incomeType"]?.GetValue<string>() == "FROM_LEGAL_ENTITY"
            && (client["inn"]?.GetValue<string>() is not { Length: 10 or 12 } || client["displayName"] is null))
            return Error(400, "validation", "Для дохода от юрлица нужны ИНН и наименование");
        string uuid;
        lock (_lock)
        {
            uuid = $"20{Interlocked.Increment(ref _next):d8}";
            Incomes.Add(new JsonObject
            {
                ["approvedReceiptUuid"] = uuid, ["name"] = services[0]!["name"]!.GetValue<string>(),
                ["services"] = services.DeepClone(), ["totalAmount"] = decimal.Parse(total, CultureInfo.InvariantCulture),
                ["operationTime"] = body["operationTime"]!.DeepClone(), ["requestTime"] = body["requestTime"]!.DeepClone(),
                ["paymentType"] = body["paymentType"]?.DeepClone(), ["client"] = client?.DeepClone(), ["cancellationInfo"] = null,
            });
        }
        if (hangAfter) await Task.Delay(Hang, CancellationToken.None);
        else if (IncomeDelay > TimeSpan.Zero) await Task.Delay(IncomeDelay, CancellationToken.None);
        return Results.Json(new JsonObject { ["approvedReceiptUuid"] = uuid });
    }

    private IResult Cancel(HttpRequest r, JsonObject body)
    {
        if (Unauthorized(r, "cancel") is { } refused) return refused;
        lock (_lock)
        {
            var comment = body["comment"]?.GetValue<string>();
            if (comment is not ("Возврат средств" or "Чек сформирован ошибочно")) return Error(400, "validation", "Недопустимая причина аннулирования");
            var income = Incomes.FirstOrDefault(i => i["approvedReceiptUuid"]!.GetValue<string>() == body["receiptUuid"]?.GetValue<string>());
            if (income is null) return Error(404, "not.found", "Чек не найден");
            if (income["cancellationInfo"] is not null) return Error(400, "receipt.already.cancelled", "Чек уже аннулирован");
            income["cancellationInfo"] = new JsonObject { ["operationTime"] = body["operationTime"]!.DeepClone(), ["comment"] = comment };
            return Results.Json(new JsonObject { ["incomeInfo"] = income.DeepClone() });
        }
    }

    private IResult List(HttpRequest r)
    {
        if (Unauthorized(r, "incomes") is { } refused) return refused;
        var from = DateTimeOffset.Parse(r.Query["from"].ToString(), CultureInfo.InvariantCulture);
        var to = DateTimeOffset.Parse(r.Query["to"].ToString(), CultureInfo.InvariantCulture);
        var offset = int.Parse(r.Query["offset"].ToString(), CultureInfo.InvariantCulture);
        var limit = int.Parse(r.Query["limit"].ToString(), CultureInfo.InvariantCulture);
        lock (_lock)
        {
            var inPeriod = Incomes.Where(i =>
            {
                var at = DateTimeOffset.Parse(i["operationTime"]!.GetValue<string>(), CultureInfo.InvariantCulture);
                return at >= from && at <= to;
            }).Reverse().ToList();
            var page = inPeriod.Skip(offset).Take(limit).Select(i => i.DeepClone()).ToArray();
            return Results.Json(new JsonObject
            {
                ["content"] = new JsonArray(page), ["hasMore"] = offset + limit < inPeriod.Count, ["currentOffset"] = offset, ["currentLimit"] = limit,
            });
        }
    }

    private IResult Receipt(string inn, string uuid)
    {
        lock (_lock)
        {
            Calls.Add("receipt");
            var income = Incomes.FirstOrDefault(i => i["approvedReceiptUuid"]!.GetValue<string>() == uuid);
            return income is null || inn != Inn ? Error(404, "not.found", "Чек не найден") : Results.Json(income.DeepClone());
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
