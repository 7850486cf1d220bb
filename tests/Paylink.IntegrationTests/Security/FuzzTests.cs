using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Paylink.Core.Data;
using Paylink.IntegrationTests.Bookings;
using Paylink.IntegrationTests.Dashboard;
using Paylink.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Paylink.IntegrationTests.Security;

/// <summary>A bookings host that also keeps the server's error log lines, so a 5xx names its exception.</summary>
public class FuzzHost(Db kind) : BookingsHost(kind)
{
    public ConcurrentQueue<string> Errors { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddLogging(b => b.AddProvider(new ErrorSink(Errors)));

    private sealed class ErrorSink(ConcurrentQueue<string> sink) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;
        public void Dispose() { }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error) sink.Enqueue($"{formatter(state, exception)} {exception?.GetType().Name}: {exception?.Message} {exception?.StackTrace?.Split('\n').FirstOrDefault()}");
        }
    }
}

public sealed class FuzzSqliteHost() : FuzzHost(Db.Sqlite);
public sealed class FuzzPostgresHost() : FuzzHost(Db.Postgres);

/// <summary>
/// Thousands of generated requests (fixed seed, so a failure replays) against every endpoint the host maps — read from
/// its endpoint data source, so a new endpoint is fuzzed without touching this file — with JSON, form, multipart and
/// odd bodies, odd headers, huge and negative numbers, bad dates and lone surrogates, with and without an API key and a
/// dashboard cookie. Asserts: no 5xx, and a rejected request (4xx) leaves the money tables as they were.
/// </summary>
public abstract class FuzzTests<THost>(THost host, ITestOutputHelper output) : IClassFixture<THost> where THost : FuzzHost
{
    private const int Seed = 20;
    private const int MaxRequests = 12000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(45);

    private static readonly string[] Junk =
    [
        "", "0", "-1", "1", "2147483648", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e309", "1.5", "NaN",
        "x", "Привет", "%ED%A0%80", "%F0", "..", "a/b", "0001-01-01", "9999-12-31", "2026-11-20", "2026-11-20T15:00:00+03:00",
        "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00+05:00", "true", "null", "<script>", "' OR 1=1 --", new string('a', 300),
    ];

    private static readonly string[] Fields =
    [
        "amount", "currency", "description", "customer", "name", "phone", "email", "items", "quantity", "expiresAt", "orderId", "metadata",
        "gateway", "capture", "savePaymentMethod", "provider", "settings", "ids", "start", "serviceId", "staff", "prepayment", "text", "lang",
        "channel", "enabled", "hours", "url", "events", "reason", "paymentMethodId", "active", "quietFrom", "quietTo", "linkSteps",
        "visitHoursBefore", "escalation", "stage", "title", "dueAt", "secret", "baseUrl", "webhookSecret", "secretKey", "password",
        "terminalKey", "shopId", "botToken", "webhookUrl", "host", "port", "outcome", "consent", "customerId", "to", "message", "id",
        "event", "type", "data", "object", "version", "retentionDays", "from", "status", "note", "body", "key", "role",
    ];

    private static readonly string[] Words =
    [
        "RUB", "USD", "sandbox", "stripe", "tbank", "yookassa", "telegram", "exolve", "email", "bitrix24", "+79161234567", "89161234567",
        "a@b.c", "not-an-email", "2026-11-20T15:00:00+03:00", "2026-11-18T10:00:00Z", "9999-12-31T00:00:00+00:00", "0001-01-01T00:00:00+00:00",
        "2026-11-20", "9999-12-31", "25:99", "10:00", "manicure", "massage", "http://127.0.0.1:9/", "https://example.com/hook", "javascript:x",
        "Маникюр", "\\ud800", "\\udfff\\ud800", "", " ", "success", "decline", "on", "owner", "staff", "mon-fri 10:00-20:00", "full", "percent",
        "automatic", "manual", "open", "paid", "ru", "en", "да",
    ];

    private static readonly string[] QueryKeys =
        ["from", "to", "limit", "cursor", "status", "lang", "day", "view", "format", "conversation", "q", "channel", "event", "returnUrl", "page", "customer"];

    [Fact]
    public async Task EveryEndpoint_GeneratedRequests_NoServerErrorAndNothingHalfWritten()
    {
        var world = await SetUpAsync();
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Endpoint: e, Method: m)))
            .Where(x => x.Endpoint.RoutePattern.RawText is not null)
            .OrderBy(x => x.Endpoint.RoutePattern.RawText, StringComparer.Ordinal).ThenBy(x => x.Method, StringComparer.Ordinal).ToList();
        Assert.True(endpoints.Count > 100, $"only {endpoints.Count} endpoints found");

        var rng = new Random(Seed);
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var covered = new HashSet<string>();
        var sw = Stopwatch.StartNew();
        var sent = 0;
        var before = await MoneyCountsAsync();
        while (sent < MaxRequests && sw.Elapsed < Budget && failures.Count < 20)
        {
            // Every endpoint once in order, then at random: each is hit at least once whatever the budget allows.
            var (endpoint, method) = sent < endpoints.Count ? endpoints[sent] : endpoints[rng.Next(endpoints.Count)];
            var (request, client, description) = Build(rng, world, endpoint.RoutePattern, method);
            HttpResponseMessage response;
            using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            {
                try { response = await client.SendAsync(request, cts.Token); }
                catch (OperationCanceledException) { failures.Add($"TIMEOUT {description}"); sent++; continue; }
            }
            sent++;
            covered.Add(endpoint.RoutePattern.RawText!);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500 && status != 503)
            {
                var errors = string.Join(" | ", host.Errors.ToArray().TakeLast(2));
                failures.Add($"{status} {description} → {Trim(await response.Content.ReadAsStringAsync(), 300)} :: {Trim(errors, 600)}");
            }
            // 503 is an answer (every gateway unavailable), but only when the request was well-formed enough to reach one.
            if (status == 503 && !endpoint.RoutePattern.RawText!.Contains("pay", StringComparison.Ordinal) && !endpoint.RoutePattern.RawText.Contains("test", StringComparison.Ordinal)
                && !endpoint.RoutePattern.RawText.Contains("ready", StringComparison.Ordinal) && !endpoint.RoutePattern.RawText.Contains("refund", StringComparison.Ordinal)
                && !endpoint.RoutePattern.RawText.Contains("charge", StringComparison.Ordinal) && !endpoint.RoutePattern.RawText.Contains("capture", StringComparison.Ordinal)
                && !endpoint.RoutePattern.RawText.Contains("void", StringComparison.Ordinal))
                failures.Add($"503 {description}");
            if (status is 400 or 401 or 403 or 404 or 405 or 413 or 415 or 422)
            {
                var after = await MoneyCountsAsync();
                if (after != before) failures.Add($"{status} wrote money rows {before} → {after}: {description}");
                before = after;
            }
            else if (status < 500) before = await MoneyCountsAsync();
            if (sent % 400 == 0) world.Dash = await host.SignedInAsync(world.User);   // a fuzzed sign-out or password change ends the session
        }
        output.WriteLine($"{sent} requests in {sw.Elapsed.TotalSeconds:F1} s over {covered.Count} of {endpoints.Select(e => e.Endpoint.RoutePattern.RawText).Distinct().Count()} route patterns ({endpoints.Count} endpoint×method)");
        output.WriteLine("statuses: " + string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(sent >= Math.Min(1500, MaxRequests), $"only {sent} requests ran in the budget");
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures));
    }

    private sealed class World
    {
        public required string ApiKey { get; init; }
        public required DashUser User { get; init; }
        public required DashClient Dash { get; set; }
        public required string Csrf { get; set; }
        public required Dictionary<string, List<string>> Values { get; init; }
    }

    private async Task<World> SetUpAsync()
    {
        var created = await host.NewMerchantAsync();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var imported = await scope.ServiceProvider.GetRequiredService<Paylink.Core.Catalog.ImportCatalog>().HandleAsync(created.Merchant.Id,
                [new Paylink.Core.Catalog.CatalogEntry("manicure", "Маникюр с покрытием", 250000, "RUB", DurationMinutes: 60)], CancellationToken.None);
            Assert.True(imported.IsSuccess);
        }
        var apiKey = created.ApiKey;
        var api = host.Client(apiKey);
        var user = await host.NewUserAsync(merchant: created);
        var dash = await host.SignedInAsync(user);
        await dash.PageAsync("/dashboard");
        var csrf = dash.Token;
        var values = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        void Add(string key, string? v) { if (v is null) return; if (!values.TryGetValue(key, out var l)) values[key] = l = []; l.Add(v); }

        var open = await api.CreateLinkAsync();
        var paid = await api.CreateLinkAsync(amount: 150000, description: "Оплаченная");
        var pay = await host.Client().PostAsync($"/p/{paid.GetProperty("code").GetString()}/pay", new FormUrlEncodedContent([]));
        var checkout = pay.Headers.Location?.ToString();
        if (checkout is not null)
        {
            await host.Client().PostAsync(new Uri(checkout).PathAndQuery, new FormUrlEncodedContent([new("outcome", "success")]));
            await host.DrainAsync();
            Add("id", checkout.Split('/').Last());
        }
        var booking = await host.BookAsync(api, "2026-11-20T15:00:00+03:00");
        foreach (var l in new[] { open, paid })
        {
            Add("id", l.GetProperty("id").GetString());
            Add("code", l.GetProperty("code").GetString());
        }
        Add("id", booking.GetProperty("id").GetString());
        Add("customerId", booking.GetProperty("customerId").GetString());
        Add("id", booking.GetProperty("customerId").GetString());
        var accounts = await (await api.GetAsync("/api/v1/gateway-accounts")).ReadJsonAsync(HttpStatusCode.OK);
        foreach (var a in accounts.GetProperty("items").EnumerateArray()) { Add("accountId", a.GetProperty("id").GetString()); Add("id", a.GetProperty("id").GetString()); }
        var templates = await (await api.GetAsync("/api/v1/templates")).ReadJsonAsync(HttpStatusCode.OK);
        foreach (var t in templates.GetProperty("items").EnumerateArray()) Add("event", t.GetProperty("event").GetString());
        foreach (var p in new[] { "sandbox", "stripe", "tbank", "yookassa", "telegram", "bitrix24", "exolve", "webchat" }) Add("provider", p);
        Add("key", "demo");
        return new World { ApiKey = apiKey, User = user, Dash = dash, Csrf = csrf, Values = values };
    }

    private async Task<string> MoneyCountsAsync()
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return $"links={await db.PaymentLinks.IgnoreQueryFilters().CountAsync()} attempts={await db.PaymentAttempts.IgnoreQueryFilters().CountAsync()} "
            + $"payments={await db.Payments.IgnoreQueryFilters().CountAsync()} refunds={await db.Refunds.IgnoreQueryFilters().CountAsync()} "
            + $"orders={await db.Orders.IgnoreQueryFilters().CountAsync()}";
    }

    private (HttpRequestMessage Request, HttpClient Client, string Description) Build(Random rng, World w, RoutePattern pattern, string method)
    {
        var path = new StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                path.Append(part switch
                {
                    RoutePatternLiteralPart l => l.Content,
                    RoutePatternSeparatorPart s => s.Content,
                    RoutePatternParameterPart p => Escape(Param(rng, w, p.Name)),
                    _ => "",
                });
            }
        }
        if (path.Length == 0) path.Append('/');
        if (rng.Next(3) == 0)
        {
            path.Append('?');
            for (var i = rng.Next(1, 4); i > 0; i--)
                path.Append(Pick(rng, QueryKeys)).Append('=').Append(Escape(rng.Next(2) == 0 ? Pick(rng, Junk) : Pick(rng, Words).Replace("\\", "", StringComparison.Ordinal))).Append('&');
        }
        var request = new HttpRequestMessage(new HttpMethod(method), path.ToString());
        var isDashboard = pattern.RawText!.StartsWith("/dashboard", StringComparison.Ordinal);
        var auth = rng.Next(isDashboard ? 2 : 5);
        HttpClient client = host.Client();
        string who;
        if (isDashboard ? auth == 0 : auth == 4) { client = w.Dash.Http; who = "cookie"; }
        else if (auth == 1 || auth == 2) { request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + w.ApiKey); who = "key"; }
        else if (auth == 3) { request.Headers.TryAddWithoutValidation("Authorization", Pick(rng, ["Bearer ", "Bearer pl_nope", "Basic Og==", "Bearer " + new string('k', 500)])); who = "badkey"; }
        else who = "anonymous";
        if (rng.Next(4) == 0) request.Headers.TryAddWithoutValidation("Accept-Language", Pick(rng, ["en", "ru", "zz-ZZ;q=abc", "*", new string('e', 200)]));
        if (rng.Next(6) == 0) request.Headers.TryAddWithoutValidation("Idempotency-Key", Pick(rng, ["", "ключ", "k1", new string('i', 300), "a b"]));
        if (rng.Next(8) == 0) request.Headers.TryAddWithoutValidation("X-Forwarded-For", Pick(rng, ["not-an-ip", "::1", "10.0.0.1, 1.2.3.4", "999.1.1.1"]));
        if (rng.Next(8) == 0) request.Headers.TryAddWithoutValidation("User-Agent", Pick(rng, ["", new string('u', 2000), "Mozilla/5.0"]));
        if (rng.Next(10) == 0) request.Headers.TryAddWithoutValidation(Pick(rng, ["Stripe-Signature", "Sandbox-Signature", "X-Telegram-Bot-Api-Secret-Token", "Content-Signature"]),
            Pick(rng, ["t=99999999999999,v1=00", "t=-1,v1=", "t=1,v1=zz", "garbage", ""]));

        string kind = "none";
        if (method is "POST" or "PUT" or "PATCH" or "DELETE" && rng.Next(method == "DELETE" ? 4 : 8) != 0)
        {
            var withCsrf = who == "cookie" && rng.Next(6) != 0;
            (request.Content, kind) = rng.Next(10) switch
            {
                < 2 => (Content(JsonValue(rng, w, 0, objectOnly: true), "application/json"), "json"),
                < 4 => (Content(Mutated(rng, w), "application/json"), "json-mutated"),
                4 => (Content(Pick(rng, ["{", "[1,]", "null", "\"s\"", "{\"a\":\"\\ud800\"}", "{\"amount\":1e999}", "{\"a\":" + new string('[', 200) + "}", new string(' ', 10)]), "application/json"), "badjson"),
                < 7 => (Content(Form(rng, w, withCsrf), "application/x-www-form-urlencoded"), "form"),
                7 => (Multipart(rng, w, withCsrf), "multipart"),
                8 => (Content("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n", "multipart/form-data"), "multipart-noboundary"),
                _ => (Content(Pick(rng, ["a=1", "{}", "<x/>", new string('z', 70_000)]), Pick(rng, ["text/plain", "application/xml", "application/json; charset=utf-16", "multipart/form-data; boundary=", "application/x-www-form-urlencoded; charset=koi8-r", "multipart/mixed; boundary=q"])), "odd"),
            };
        }
        return (request, client, $"{method} {Trim(path.ToString(), 200)} [{who}, {kind}] {Trim(request.Content is null ? "" : Peek(request.Content), 200)}");
    }

    private static string Peek(HttpContent c) =>
        c is StringContent or ByteArrayContent ? Encoding.UTF8.GetString(c.ReadAsByteArrayAsync().GetAwaiter().GetResult()) : c.GetType().Name;

    private static string Param(Random rng, World w, string name)
    {
        if (rng.Next(3) != 0 && w.Values.TryGetValue(name, out var known)) return Pick(rng, known);
        if (rng.Next(2) == 0 && w.Values.TryGetValue("id", out var ids)) return Pick(rng, ids);
        return Pick(rng, Junk);
    }

    private static string Escape(string s) => s.Contains('%', StringComparison.Ordinal) ? s : Uri.EscapeDataString(s);

    private static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    private static StringContent Content(string body, string contentType)
    {
        var c = new StringContent(body, Encoding.UTF8);
        c.Headers.Remove("Content-Type");
        c.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return c;
    }

    /// <summary>Valid bodies of the main endpoints with one value swapped for a generated one: they get past the shape
    /// checks and reach the validators and handlers.</summary>
    private static readonly string[] Corpus =
    [
        """{"amount":250000,"currency":"RUB","description":"Маникюр","customer":{"name":"Анна","phone":"+79161234567","email":"a@b.c"},"items":[{"name":"Маникюр","quantity":1,"amount":250000}],"expiresAt":"2026-11-20T15:00:00+03:00","orderId":"o-1","metadata":{"k":"v"}}""",
        """{"customer":{"name":"Анна","phone":"+79161234567"},"serviceId":"manicure","start":"2026-11-21T15:00:00+03:00","staff":"Ольга","prepayment":{"amount":50000}}""",
        """{"provider":"sandbox","name":"Песочница","settings":{"secret":"s3cr3t","baseUrl":"http://127.0.0.1:9/"}}""",
        """{"amount":1000,"reason":"возврат"}""",
        """{"enabled":true,"hours":"mon-fri 10:00-20:00","prepayment":{"kind":"percent","value":30},"slotStepMinutes":30}""",
        """{"text":"Здравствуйте, {{client.name}}!"}""",
        """{"linkSteps":[{"afterMinutes":60}],"visitHoursBefore":[24],"quietFrom":"22:00","quietTo":"09:00","escalation":["telegram","exolve"]}""",
        """{"url":"https://example.com/hook","events":["link.paid"]}""",
        """{"ids":["x"]}""",
        """{"name":"Анна","phone":"+79161234567","email":"a@b.c","note":"заметка"}""",
        """{"active":false}""",
        """{"text":"да","version":"1"}""",
        """{"retentionDays":1095}""",
    ];

    private static string Mutated(Random rng, World w)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(Pick(rng, Corpus))!.AsObject();
        var target = root;
        var keys = target.Select(p => p.Key).ToList();
        var key = Pick(rng, keys);
        if (target[key] is System.Text.Json.Nodes.JsonObject inner && inner.Count > 0 && rng.Next(2) == 0) { target = inner; key = Pick(rng, inner.Select(p => p.Key).ToList()); }
        target[key] = null;
        var text = root.ToJsonString();
        // Splice the generated value in as text: it may be JSON the node model refuses (lone surrogates, 1e309).
        var marker = $"\"{key}\":null";
        var i = text.IndexOf(marker, StringComparison.Ordinal);
        return i < 0 ? text : text[..i] + $"\"{key}\":" + JsonValue(rng, w, 1) + text[(i + marker.Length)..];
    }

    private static string Scalar(Random rng, World w) => rng.Next(8) switch
    {
        0 => Pick(rng, ["0", "-1", "1", "250000", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e308", "2.5", "1e-400"]),
        1 => Pick(rng, ["true", "false", "null"]),
        2 => JsonSerializer.Serialize(Pick(rng, w.Values[Pick(rng, w.Values.Keys.ToList())])),
        3 => "\"" + new string('д', rng.Next(2) == 0 ? 10 : 5000) + "\"",
        _ => "\"" + Pick(rng, Words).Replace("\"", "", StringComparison.Ordinal) + "\"",
    };

    private static string JsonValue(Random rng, World w, int depth, bool objectOnly = false)
    {
        var shape = objectOnly ? 0 : rng.Next(depth >= 3 ? 1 : 5);
        if (!objectOnly && depth >= 3) return Scalar(rng, w);
        switch (shape)
        {
            case 0:
                var sb = new StringBuilder("{");
                var n = rng.Next(7);
                for (var i = 0; i < n; i++)
                {
                    if (i > 0) sb.Append(',');
                    sb.Append('"').Append(rng.Next(12) == 0 ? "\\ud800" : Pick(rng, Fields)).Append("\":").Append(JsonValue(rng, w, depth + 1));
                }
                return sb.Append('}').ToString();
            case 1:
                return "[" + string.Join(",", Enumerable.Range(0, rng.Next(4)).Select(_ => JsonValue(rng, w, depth + 1))) + "]";
            default:
                return Scalar(rng, w);
        }
    }

    private static string FormValue(Random rng, World w) => rng.Next(4) switch
    {
        0 => Pick(rng, Junk),
        1 => Uri.EscapeDataString(Pick(rng, w.Values[Pick(rng, w.Values.Keys.ToList())])),
        _ => Uri.EscapeDataString(Pick(rng, Words).Replace("\\", "", StringComparison.Ordinal)),
    };

    private static string Form(Random rng, World w, bool csrf)
    {
        var parts = Enumerable.Range(0, rng.Next(6)).Select(_ => $"{Pick(rng, Fields)}={FormValue(rng, w)}").ToList();
        if (csrf) parts.Add("__csrf=" + Uri.EscapeDataString(w.Csrf));
        if (rng.Next(10) == 0) parts.Add("%ZZ=%");
        return string.Join("&", parts);
    }

    private static HttpContent Multipart(Random rng, World w, bool csrf)
    {
        var m = new MultipartFormDataContent();
        for (var i = rng.Next(4); i > 0; i--) m.Add(new StringContent(Uri.UnescapeDataString(FormValue(rng, w).Replace("%ED%A0%80", "", StringComparison.Ordinal).Replace("%F0", "", StringComparison.Ordinal).Replace("%", "", StringComparison.Ordinal))), Pick(rng, Fields));
        if (rng.Next(3) == 0) m.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("name,price\nМаникюр,-1\n")), "file", "catalog.csv");
        if (csrf) m.Add(new StringContent(w.Csrf), "__csrf");
        return m;
    }

    private static string Trim(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}

public sealed class SqliteFuzzTests(FuzzSqliteHost host, ITestOutputHelper output) : FuzzTests<FuzzSqliteHost>(host, output);
public sealed class PostgresFuzzTests(FuzzPostgresHost host, ITestOutputHelper output) : FuzzTests<FuzzPostgresHost>(host, output);
