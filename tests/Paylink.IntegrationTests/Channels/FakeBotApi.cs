using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Paylink.IntegrationTests.Channels;

/// <summary>
/// An in-process Telegram Bot API on 127.0.0.1 speaking the real envelopes: <c>POST /bot{token}/{method}</c>
/// answered with <c>{"ok":true,"result":…}</c> or <c>{"ok":false,"error_code","description","parameters":{"retry_after"}}</c>.
/// Chats can be made unknown (400), blocked (403), flood-limited (429) or the server broken (500).
/// </summary>
public sealed class FakeBotApi : IAsyncDisposable
{
    public const string Token = "123456789:AAFakeTokenForTestsOnly_abcdefghijk";

    private readonly WebApplication _app;
    private int _nextMessageId = 100;

    public ConcurrentQueue<(string Method, JsonObject Body, long Timestamp)> Requests { get; } = new();
    public ConcurrentDictionary<string, bool> BlockedChats { get; } = new();
    /// <summary>Files uploaded with multipart calls (sendDocument): method, form field, file name, content type, bytes.</summary>
    public ConcurrentQueue<(string Method, string Field, string FileName, string ContentType, byte[] Content)> Files { get; } = new();
    public ConcurrentDictionary<string, bool> UnknownChats { get; } = new();
    /// <summary>Next N sendMessage calls answer 429 with retry_after = the value.</summary>
    public ConcurrentQueue<int> FloodNext { get; } = new();
    public int FailNext;
    public string Url => _app.Urls.First() + "/";

    private FakeBotApi(WebApplication app) => _app = app;

    public static async Task<FakeBotApi> StartAsync()
    {
        var b = WebApplication.CreateSlimBuilder();
        b.WebHost.UseUrls("http://127.0.0.1:0");
        b.Logging.ClearProviders();
        var app = b.Build();
        var fake = new FakeBotApi(app);
        app.MapPost("/bot{token}/{method}", async (string token, string method, HttpRequest request) =>
        {
            // sendDocument comes as multipart/form-data (fields + the file), everything else as JSON, as the Bot API takes them.
            if (!request.HasFormContentType) return fake.Handle(token, method, (await request.ReadFromJsonAsync<JsonObject>())!);
            var form = await request.ReadFormAsync();
            var body = new JsonObject();
            foreach (var (k, v) in form)
                body[k] = v.ToString() is var s && s.StartsWith('{') ? JsonNode.Parse(s) : JsonValue.Create(s);
            foreach (var f in form.Files)
            {
                using var ms = new MemoryStream();
                await f.CopyToAsync(ms);
                fake.Files.Enqueue((method, f.Name, f.FileName, f.ContentType, ms.ToArray()));
            }
            return fake.Handle(token, method, body);
        });
        await app.StartAsync();
        return fake;
    }

    public IEnumerable<JsonObject> Calls(string method) => Requests.Where(r => r.Method == method).Select(r => r.Body);

    private IResult Handle(string token, string method, JsonObject body)
    {
        Requests.Enqueue((method, body, Stopwatch.GetTimestamp()));
        if (token != Token) return Fail(401, "Unauthorized");
        if (FailNext > 0 && Interlocked.Decrement(ref FailNext) >= 0) return Fail(500, "Internal Server Error");
        var chat = body["chat_id"]?.ToJsonString().Trim('"');
        switch (method)
        {
            case "getMe":
                return Ok(new JsonObject { ["id"] = 123456789, ["is_bot"] = true, ["first_name"] = "Лаванда", ["username"] = "lavanda_bot" });
            case "setWebhook":
                var secret = body["secret_token"]?.GetValue<string>() ?? "";
                if (secret.Length is < 1 or > 256 || secret.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
                    return Fail(400, "Bad Request: secret token contains unallowed characters");
                return Ok(true);
            case "answerPreCheckoutQuery":
                return Ok(true);
            case "sendMessage" or "sendInvoice" or "sendDocument":
                if (chat is null) return Fail(400, "Bad Request: chat_id is empty");
                if (UnknownChats.ContainsKey(chat)) return Fail(400, "Bad Request: chat not found");
                if (BlockedChats.ContainsKey(chat)) return Fail(403, "Forbidden: bot was blocked by the user");
                if (FloodNext.TryDequeue(out var after))
                    return Results.Json(new JsonObject
                    {
                        ["ok"] = false, ["error_code"] = 429, ["description"] = $"Too Many Requests: retry after {after}",
                        ["parameters"] = new JsonObject { ["retry_after"] = after },
                    }, statusCode: 429);
                var id = Interlocked.Increment(ref _nextMessageId);
                return Ok(new JsonObject
                {
                    ["message_id"] = id, ["date"] = 1795000000,
                    ["chat"] = new JsonObject { ["id"] = long.TryParse(chat, out var c) ? c : 0, ["type"] = "private" },
                    ["text"] = body["text"]?.DeepClone(),
                });
            default:
                return Fail(404, "Not Found: method not found");
        }
    }

    private static IResult Ok(JsonNode result) => Results.Json(new JsonObject { ["ok"] = true, ["result"] = result });

    private static IResult Fail(int code, string description) =>
        Results.Json(new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description }, statusCode: code);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
