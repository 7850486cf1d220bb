using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Paylink.Tests.Assistant;

/// <summary>
/// A local OpenAI-compatible server (real HTTP on loopback): <c>POST /v1/chat/completions</c> answers with the
/// chat.completion envelope around whatever content the test sets, or an error status, optionally late.
/// Every request body and Authorization header is kept for assertions.
/// </summary>
internal sealed class FakeChatCompletions : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ConcurrentQueue<(string Auth, JsonDocument Body)> Requests { get; } = new();
    public string Content { get; set; } = "{}";
    public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;
    public string BaseUrl { get; }

    public FakeChatCompletions()
    {
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}/v1";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            _ = Task.Run(() => HandleAsync(ctx));
        }
    }

    private async Task HandleAsync(HttpListenerContext ctx)
    {
        try
        {
            using var reader = new StreamReader(ctx.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            Requests.Enqueue((ctx.Request.Headers["Authorization"] ?? "", JsonDocument.Parse(body)));
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay, _stop.Token);
            string json;
            if (ctx.Request.Url!.AbsolutePath != "/v1/chat/completions")
            {
                ctx.Response.StatusCode = 404;
                json = """{"error":{"message":"not found","type":"invalid_request_error"}}""";
            }
            else if (Status != HttpStatusCode.OK)
            {
                ctx.Response.StatusCode = (int)Status;
                json = """{"error":{"message":"upstream failure","type":"server_error"}}""";
            }
            else
            {
                json = JsonSerializer.Serialize(new
                {
                    id = "chatcmpl-test", @object = "chat.completion", created = 1_763_000_000, model = "test-model",
                    choices = new[] { new { index = 0, message = new { role = "assistant", content = Content }, finish_reason = "stop" } },
                    usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
                });
            }
            var bytes = Encoding.UTF8.GetBytes(json);
            ctx.Response.ContentType = "application/json";
            ctx.Response.ContentLength64 = bytes.Length;
            await ctx.Response.OutputStream.WriteAsync(bytes);
            ctx.Response.Close();
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client gave up (timeout test) or the server is stopping.
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        try { await _loop; } catch (ObjectDisposedException) { }
        _stop.Dispose();
    }
}
