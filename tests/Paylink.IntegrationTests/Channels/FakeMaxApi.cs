using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Paylink.IntegrationTests.Channels;

/// <summary>
/// An in-process MAX Bot API on 127.0.0.1: the token only in the <c>Authorization</c> header (401
/// <c>{"code":"verify.token"}</c> otherwise), <c>GET /me</c>, <c>POST /messages?user_id=</c>, <c>POST /subscriptions</c>,
/// <c>GET /updates?marker=</c> (long polling over <see cref="Pending"/>). Users can be blocked (403) and sends
/// flood-limited (429 with Retry-After).
/// </summary>
public sealed class FakeMaxApi : IAsyncDisposable
{
    public const string Token = "f9LHodD0cOI-fake-max-token-for-tests-only";

    private readonly WebApplication _app;
    private long _nextMid = 1000;

    public sealed record Call(string Method, string Path, string Query, string? Authorization, JsonObject? Body);

    public ConcurrentQueue<Call> Requests { get; } = new();
    public ConcurrentDictionary<string, bool> BlockedUsers { get; } = new();
    /// <summary>Next N sends answer 429 with Retry-After = the value (seconds).</summary>
    public ConcurrentQueue<int> FloodNext { get; } = new();
    /// <summary>Updates served by GET /updates, in marker order (marker = index + 1).</summary>
    public List<JsonObject> Pending { get; } = [];
    public string Url => _app.Urls.First() + "/";

    private FakeMaxApi(WebApplication app) => _app = app;

    public static async Task<FakeMaxApi> StartAsync()
    {
        var b = WebApplication.CreateSlimBuilder();
        b.WebHost.UseUrls("http://127.0.0.1:0");
        b.Logging.ClearProviders();
        var app = b.Build();
        var fake = new FakeMaxApi(app);
        app.Map("/{**path}", (Delegate)((HttpContext http) => fake.HandleAsync(http)));
        await app.StartAsync();
        return fake;
    }

    public IEnumerable<Call> Sends(string userId) => Requests.Where(r => r.Path == "/messages" && r.Query.Contains("user_id=" + userId, StringComparison.Ordinal));

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        JsonObject? body = null;
        if (http.Request.ContentLength > 0 || http.Request.ContentType is not null)
            body = await http.Request.ReadFromJsonAsync<JsonObject>();
        var auth = http.Request.Headers.Authorization.ToString();
        var path = http.Request.Path.Value ?? "";
        Requests.Enqueue(new Call(http.Request.Method, path, http.Request.QueryString.Value ?? "", auth, body));
        if (auth != Token || http.Request.Query.ContainsKey("access_token")) return Fail(401, "verify.token", "Invalid access_token");
        switch (http.Request.Method, path)
        {
            case ("GET", "/me"):
                return Results.Json(new JsonObject { ["user_id"] = 5550001, ["name"] = "Лаванда", ["username"] = "lavanda_bot", ["is_bot"] = true });
            case ("POST", "/subscriptions"):
                return Results.Json(new JsonObject { ["success"] = true });
            case ("GET", "/updates"):
                lock (Pending)
                {
                    var after = long.TryParse(http.Request.Query["marker"], out var m) ? m : 0;
                    var items = Pending.Skip((int)after).ToList();
                    return Results.Json(new JsonObject
                    {
                        ["updates"] = new JsonArray(items.Select(u => (JsonNode)u.DeepClone()).ToArray()), ["marker"] = Pending.Count,
                    });
                }
            case ("POST", "/messages"):
                var user = http.Request.Query["user_id"].ToString();
                if (user.Length == 0) return Fail(400, "proto.payload", "user_id or chat_id is required");
                if (BlockedUsers.ContainsKey(user)) return Fail(403, "chat.denied", "chat.denied: dialog is closed by the user");
                if (FloodNext.TryDequeue(out var after2))
                {
                    http.Response.Headers.RetryAfter = after2.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return Fail(429, "too.many.requests", "Too many requests");
                }
                var mid = "mid." + Interlocked.Increment(ref _nextMid);
                return Results.Json(new JsonObject
                {
                    ["message"] = new JsonObject
                    {
                        ["recipient"] = new JsonObject { ["user_id"] = long.Parse(user, System.Globalization.CultureInfo.InvariantCulture), ["chat_type"] = "dialog" },
                        ["body"] = new JsonObject { ["mid"] = mid, ["seq"] = 1, ["text"] = body?["text"]?.DeepClone() },
                    },
                });
            default:
                return Fail(404, "not.found", "Path not found");
        }
    }

    /// <summary>A <c>message_created</c> update as MAX sends it (webhook body or an item of GET /updates).</summary>
    public static JsonObject TextUpdate(string userId, string text, string? mid = null) => new()
    {
        ["update_type"] = "message_created", ["timestamp"] = 1795000000000, ["user_locale"] = "ru",
        ["message"] = new JsonObject
        {
            ["sender"] = new JsonObject { ["user_id"] = long.Parse(userId, System.Globalization.CultureInfo.InvariantCulture), ["first_name"] = "Анна", ["name"] = "Анна", ["is_bot"] = false },
            ["recipient"] = new JsonObject { ["chat_id"] = 900000 + long.Parse(userId, System.Globalization.CultureInfo.InvariantCulture) % 1000, ["chat_type"] = "dialog" },
            ["timestamp"] = 1795000000000,
            ["body"] = new JsonObject { ["mid"] = mid ?? "mid.in." + Guid.NewGuid().ToString("N"), ["seq"] = 1, ["text"] = text },
        },
    };

    private static IResult Fail(int status, string code, string message) =>
        Results.Json(new JsonObject { ["code"] = code, ["message"] = message }, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
