using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Paylink.IntegrationTests.Channels;

/// <summary>
/// An in-process VK API on 127.0.0.1: <c>POST /method/{name}</c> with form fields, errors as
/// <c>{"error":{"error_code","error_msg"}}</c> with HTTP 200. <c>messages.send</c> keeps VK's idempotency: a
/// repeated <c>random_id</c> to one peer returns the first message id and sends nothing (<see cref="Delivered"/>).
/// Users may not have allowed messages (901); <see cref="ErrorNext"/> answers the next sends with given codes.
/// </summary>
public sealed class FakeVkApi : IAsyncDisposable
{
    public const string Token = "vk1.a.fake-community-token-for-tests-only";
    public const long GroupId = 229000111;

    private readonly WebApplication _app;
    private int _nextId = 500;
    private readonly ConcurrentDictionary<(string Peer, string RandomId), int> _seen = new();

    public ConcurrentQueue<(string Method, Dictionary<string, string> Fields)> Requests { get; } = new();
    /// <summary>Messages VK really delivered (a duplicate random_id is not delivered again).</summary>
    public ConcurrentQueue<Dictionary<string, string>> Delivered { get; } = new();
    public ConcurrentDictionary<string, bool> NotAllowed { get; } = new();
    public ConcurrentQueue<int> ErrorNext { get; } = new();
    /// <summary>Next N sends are delivered but the answer is lost (HTTP 502), as on a timeout after VK accepted.</summary>
    public int LoseAnswerNext;
    public string Url => _app.Urls.First() + "/";

    private FakeVkApi(WebApplication app) => _app = app;

    public static async Task<FakeVkApi> StartAsync()
    {
        var b = WebApplication.CreateSlimBuilder();
        b.WebHost.UseUrls("http://127.0.0.1:0");
        b.Logging.ClearProviders();
        var app = b.Build();
        var fake = new FakeVkApi(app);
        app.MapPost("/method/{name}", async (string name, HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            return fake.Handle(name, form.ToDictionary(kv => kv.Key, kv => kv.Value.ToString()));
        });
        await app.StartAsync();
        return fake;
    }

    public IEnumerable<Dictionary<string, string>> Sends(string peer) =>
        Requests.Where(r => r.Method == "messages.send" && r.Fields.GetValueOrDefault("peer_id") == peer).Select(r => r.Fields);

    private IResult Handle(string method, Dictionary<string, string> f)
    {
        Requests.Enqueue((method, f));
        if (f.GetValueOrDefault("access_token") != Token) return Error(5, "User authorization failed: invalid access_token (4).");
        if (f.GetValueOrDefault("v") is not { Length: > 0 }) return Error(8, "Invalid request: v (version) is required");
        switch (method)
        {
            case "groups.getById":
                return Results.Json(new JsonObject
                {
                    ["response"] = new JsonObject
                    {
                        ["groups"] = new JsonArray(new JsonObject { ["id"] = GroupId, ["name"] = "Лаванда", ["screen_name"] = "lavanda" }),
                        ["profiles"] = new JsonArray(),
                    },
                });
            case "messages.send":
                var peer = f.GetValueOrDefault("peer_id") ?? "";
                if (!f.TryGetValue("random_id", out var rid)) return Error(100, "One of the parameters specified was missing or invalid: random_id is undefined");
                if (NotAllowed.ContainsKey(peer)) return Error(901, "Can't send messages for users without permission");
                if (ErrorNext.TryDequeue(out var code)) return Error(code, code == 6 ? "Too many requests per second" : code == 9 ? "Flood control" : "Error");
                var id = _seen.GetOrAdd((peer, rid), _ =>
                {
                    Delivered.Enqueue(f);
                    return Interlocked.Increment(ref _nextId);
                });
                if (LoseAnswerNext > 0 && Interlocked.Decrement(ref LoseAnswerNext) >= 0) return Results.StatusCode(502);
                return Results.Json(new JsonObject { ["response"] = id });
            default:
                return Error(3, "Unknown method passed");
        }
    }

    private static IResult Error(int code, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["error_code"] = code, ["error_msg"] = message } });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
