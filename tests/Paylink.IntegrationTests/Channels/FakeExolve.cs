using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Channels;

/// <summary>
/// An in-process Exolve SMS API on 127.0.0.1: <c>POST /messaging/v1/{method}</c> with a Bearer key, answers
/// SendSMS with <c>{"message_id": "…"}</c> and errors with <c>{"error": {"message": "…"}}</c> like the real API.
/// Canned answers queued in <see cref="Next"/> replace the default one (status, JSON body, Retry-After seconds, delay).
/// </summary>
public sealed class FakeExolve : IAsyncDisposable
{
    public const string ApiKey = "exolve-test-key-0123456789";

    public sealed record Call(string Method, string? Authorization, string? ContentType, string Body);
    public sealed record Answer(int Status, string? Json, int? RetryAfterSeconds = null, TimeSpan? Delay = null);

    private readonly WebApplication _app;
    private long _nextId = 439166538239448536;

    public ConcurrentQueue<Call> Calls { get; } = new();
    public ConcurrentQueue<Answer> Next { get; } = new();
    public string Url => _app.Urls.First() + "/";

    private FakeExolve(WebApplication app) => _app = app;

    public static async Task<FakeExolve> StartAsync()
    {
        FakeExolve? fake = null;
        var app = await LoopbackApp.StartAsync(a => a.MapPost("/messaging/v1/{method}", (string method, HttpContext ctx) => fake!.HandleAsync(method, ctx)));
        return fake = new FakeExolve(app);
    }

    private async Task HandleAsync(string method, HttpContext ctx)
    {
        var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
        Calls.Enqueue(new Call(method, ctx.Request.Headers.Authorization, ctx.Request.ContentType, body));
        var answer = Next.TryDequeue(out var a) ? a : Default(method, body, ctx.Request.Headers.Authorization);
        if (answer.Delay is { } d) await Task.Delay(d, ctx.RequestAborted);
        ctx.Response.StatusCode = answer.Status;
        if (answer.RetryAfterSeconds is { } ra) ctx.Response.Headers.RetryAfter = ra.ToString();
        if (answer.Json is not null)
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(answer.Json);
        }
    }

    private Answer Default(string method, string body, string? auth)
    {
        if (auth != "Bearer " + ApiKey) return new Answer(401, """{"error":{"message":"Unauthorized"}}""");
        var json = JsonNode.Parse(body)!.AsObject();
        return method switch
        {
            "SendSMS" when json["destination"]?.GetValue<string>() is not { Length: 11 } dest || !dest.All(char.IsAsciiDigit)
                => new Answer(400, """{"error":{"message":"invalid SendRequest.Destination: value does not match regex pattern \"^[0-9]{11}$\""}}"""),
            "SendSMS" => new Answer(200, $$"""{"message_id":"{{Interlocked.Increment(ref _nextId)}}","template_resource_id":136519}"""),
            "GetCount" => new Answer(200, """{"count":0}"""),
            _ => new Answer(404, """{"error":{"message":"method not found"}}"""),
        };
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
