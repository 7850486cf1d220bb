using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Paylink.IntegrationTests.Webhooks;

/// <summary>A real Kestrel server on loopback that records webhook requests and answers as told.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private WebApplication? _app;

    public sealed record Received(string Id, string Timestamp, string Signature, string Body);

    public ConcurrentQueue<Received> Requests { get; } = new();
    /// <summary>How to answer: status and body (default 204).</summary>
    public Func<HttpContext, Task> Answer { get; set; } = ctx => { ctx.Response.StatusCode = 204; return Task.CompletedTask; };
    public string Url { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var r = new WebhookReceiver();
        var b = WebApplication.CreateSlimBuilder();
        b.Logging.ClearProviders();
        b.WebHost.UseUrls("http://127.0.0.1:0");
        r._app = b.Build();
        r._app.MapPost("/hook", async ctx =>
        {
            var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            r.Requests.Enqueue(new Received(ctx.Request.Headers["webhook-id"].ToString(), ctx.Request.Headers["webhook-timestamp"].ToString(),
                ctx.Request.Headers["webhook-signature"].ToString(), body));
            await r.Answer(ctx);
        });
        await r._app.StartAsync();
        r.Url = r._app.Urls.First() + "/hook";
        return r;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
