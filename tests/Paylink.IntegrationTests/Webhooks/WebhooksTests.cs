using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Webhooks;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Webhooks;

/// <summary>A host whose webhooks may go to loopback over http, with the background runner off: tests drain jobs.</summary>
public class WebhookHost(Db kind) : PaylinkHost(kind)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Webhooks:AllowPrivateNetworks"] = "true",
        ["Webhooks:AllowHttp"] = "true",
        ["Webhooks:Timeout"] = "00:00:01",
        ["Jobs:Enabled"] = "false",
    };

    public Task<int> DrainAsync() => Services.GetRequiredService<JobRunner>().DrainAsync();
}

public sealed class SqliteWebhookHost() : WebhookHost(Db.Sqlite);
public sealed class PostgresWebhookHost() : WebhookHost(Db.Postgres);

public abstract class WebhooksTests<THost>(THost host) : IClassFixture<THost> where THost : WebhookHost
{
    [Fact]
    public void Signature_TestVectors_Match()
    {
        // Standard Webhooks' published vector, and one computed for docs/webhooks.md with Python's hmac.
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            WebhookSignature.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}"""));
        const string body = """{"id":"evt_01","type":"link.paid"}""";
        var sig = WebhookSignature.Sign("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX", "msg_01KAQZ8X4M2R5B7C9D0E1F2G3H", 1795000000, body);
        Assert.Equal("v1,DcqPF+ft36vzTuY3YscgLELWVgOahRvRbNngUhNJ1aQ=", sig);
        var at = DateTimeOffset.FromUnixTimeSeconds(1795000000);
        Assert.Null(WebhookSignature.Verify("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX", "msg_01KAQZ8X4M2R5B7C9D0E1F2G3H", "1795000000", "v1,bad " + sig, body, at));
        Assert.NotNull(WebhookSignature.Verify("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX", "msg_01KAQZ8X4M2R5B7C9D0E1F2G3H", "1795000000", sig, body + " ", at));
        Assert.NotNull(WebhookSignature.Verify("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX", "msg_01KAQZ8X4M2R5B7C9D0E1F2G3H", "1795000000", sig, body, at.AddMinutes(6)));
    }

    [Theory]
    [InlineData("""{"url":"ftp://x.example/h","events":["link.paid"]}""", "url")]
    [InlineData("""{"url":"https://x.example/h","events":["link.payed"]}""", "events[0]")]
    [InlineData("""{"url":"https://x.example/h","events":[]}""", "events")]
    [InlineData("""{"events":["link.paid"]}""", "url")]
    [InlineData("""{"url":"https://user:pw@x.example/h","events":["link.paid"]}""", "url")]
    public async Task Create_Invalid_Returns422NamingTheField(string json, string field)
    {
        var m = await host.NewMerchantAsync();
        await (await host.Client(m.ApiKey).PostJsonAsync("/api/v1/webhook-endpoints", json)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, field);
    }

    [Fact]
    public async Task Create_OverlongUrlOrUnknownField_Refused()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        var longUrl = "https://x.example/" + new string('a', 2100);
        await (await c.PostJsonAsync("/api/v1/webhook-endpoints", $$"""{"url":"{{longUrl}}","events":["link.paid"]}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "url");
        await (await c.PostJsonAsync("/api/v1/webhook-endpoints", """{"url":"https://x.example/h","events":["link.paid"],"secret":"x"}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "secret");
    }

    [Fact]
    public async Task Endpoints_CreateListGetRotateDelete_SecretShownOnlyOnce_OtherMerchantSeesNothing()
    {
        var m = await host.NewMerchantAsync();
        var other = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        var created = await (await c.PostJsonAsync("/api/v1/webhook-endpoints", """{"url":"https://hooks.example.com/paylink","events":["link.paid","link.paid","link.expired"]}"""))
            .ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        var secret = created.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(["link.paid", "link.expired"], created.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        var got = await (await c.GetAsync("/api/v1/webhook-endpoints/" + id)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(got.TryGetProperty("secret", out _));
        var list = await (await c.GetAsync("/api/v1/webhook-endpoints")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.DoesNotContain(secret, list.ToString());

        var oc = host.Client(other.ApiKey);
        await (await oc.GetAsync("/api/v1/webhook-endpoints/" + id)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await oc.DeleteAsync("/api/v1/webhook-endpoints/" + id)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await oc.GetAsync("/api/v1/webhook-endpoints")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());

        var rotated = await (await c.PostAsync($"/api/v1/webhook-endpoints/{id}/rotate-secret", null)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.NotEqual(secret, rotated.GetProperty("secret").GetString());
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<AppDbContext>().WebhookEndpoints.SingleAsync(e => e.Id == id);
            Assert.DoesNotContain(secret, stored.ProtectedSecret);
            Assert.DoesNotContain("whsec_", stored.ProtectedSecret);
        }
        Assert.Equal(HttpStatusCode.NoContent, (await c.DeleteAsync("/api/v1/webhook-endpoints/" + id)).StatusCode);
        await (await c.GetAsync("/api/v1/webhook-endpoints/" + id)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task LinkEvents_DeliveredSignedToSubscribedEndpoint_LoggedAndVerifiable()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        var ep = await (await c.PostJsonAsync("/api/v1/webhook-endpoints", $$"""{"url":"{{receiver.Url}}","events":["link.created","link.cancelled"]}"""))
            .ReadJsonAsync(HttpStatusCode.Created);
        var secret = ep.GetProperty("secret").GetString()!;
        var link = await c.CreateLinkAsync();
        await c.PostAsync($"/api/v1/links/{link.GetProperty("id").GetString()}/cancel", null);
        await host.DrainAsync();

        var got = receiver.Requests.ToList();
        Assert.Equal(2, got.Count);
        foreach (var r in got)
            Assert.Null(WebhookSignature.Verify(secret, r.Id, r.Timestamp, r.Signature, r.Body, host.Clock.GetUtcNow()));
        var bodies = got.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(["link.created", "link.cancelled"], bodies.Select(b => b.GetProperty("type").GetString()).Order(StringComparer.Ordinal).Reverse());
        Assert.All(bodies, b => Assert.Equal(link.GetProperty("id").GetString(), b.GetProperty("data").GetProperty("id").GetString()));
        Assert.Contains(bodies, b => b.GetProperty("data").GetProperty("status").GetString() == "cancelled");

        var log = await (await c.GetAsync($"/api/v1/webhook-endpoints/{ep.GetProperty("id").GetString()}/deliveries")).ReadJsonAsync(HttpStatusCode.OK);
        var items = log.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.All(items, d => { Assert.Equal("delivered", d.GetProperty("status").GetString()); Assert.Equal(204, d.GetProperty("lastStatusCode").GetInt32()); });
    }

    [Fact]
    public async Task Delivery_Failing5xxThen2xx_RetriedWithBackoff_HugeAnswerTruncated_RedeliverSendsSameId()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = async ctx => { ctx.Response.StatusCode = 500; await ctx.Response.WriteAsync(new string('E', 200_000)); };
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        var ep = await (await c.PostJsonAsync("/api/v1/webhook-endpoints", $$"""{"url":"{{receiver.Url}}","events":["link.created"]}""")).ReadJsonAsync(HttpStatusCode.Created);
        var epId = ep.GetProperty("id").GetString();
        await c.CreateLinkAsync();
        await host.DrainAsync();
        var d = (await (await c.GetAsync($"/api/v1/webhook-endpoints/{epId}/deliveries")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items")[0];
        Assert.Equal("pending", d.GetProperty("status").GetString());
        Assert.Equal(500, d.GetProperty("lastStatusCode").GetInt32());
        Assert.Equal("HTTP 500", d.GetProperty("lastError").GetString());
        Assert.InRange(d.GetProperty("lastResponseBody").GetString()!.Length, 1000, 1030);
        var next = d.GetProperty("nextAttemptAt").GetDateTimeOffset();
        Assert.InRange((next - host.Clock.GetUtcNow()).TotalSeconds, 23, 37);   // 30 s ± 20 %

        await host.DrainAsync();
        Assert.Single(receiver.Requests);   // not before its time
        receiver.Answer = ctx => { ctx.Response.StatusCode = 200; return Task.CompletedTask; };
        host.Clock.Advance(TimeSpan.FromSeconds(40));
        await host.DrainAsync();
        Assert.Equal(2, receiver.Requests.Count);
        var ids = receiver.Requests.Select(r => r.Id).Distinct().ToList();
        Assert.Single(ids);
        d = (await (await c.GetAsync($"/api/v1/webhook-endpoints/{epId}/deliveries")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items")[0];
        Assert.Equal("delivered", d.GetProperty("status").GetString());
        Assert.Equal(2, d.GetProperty("attempts").GetInt32());

        var again = await c.PostAsync($"/api/v1/webhook-deliveries/{d.GetProperty("id").GetString()}/redeliver", null);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        await host.DrainAsync();
        Assert.Equal(3, receiver.Requests.Count);
        Assert.Equal(ids[0], receiver.Requests.Last().Id);
        await (await host.Client((await host.NewMerchantAsync()).ApiKey).PostAsync($"/api/v1/webhook-deliveries/{d.GetProperty("id").GetString()}/redeliver", null))
            .AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delivery_410Gone_DisablesEndpoint_NoRetry_NoMoreDeliveries()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = ctx => { ctx.Response.StatusCode = 410; return Task.CompletedTask; };
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        var ep = await (await c.PostJsonAsync("/api/v1/webhook-endpoints", $$"""{"url":"{{receiver.Url}}","events":["link.created"]}""")).ReadJsonAsync(HttpStatusCode.Created);
        await c.CreateLinkAsync();
        await host.DrainAsync();
        var got = await (await c.GetAsync("/api/v1/webhook-endpoints/" + ep.GetProperty("id").GetString())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("disabled", got.GetProperty("status").GetString());
        await c.CreateLinkAsync();
        host.Clock.Advance(TimeSpan.FromHours(1));
        await host.DrainAsync();
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Delivery_SlowRedirectingOrUnreachable_BoundedAndRetried()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        await c.PostJsonAsync("/api/v1/webhook-endpoints", $$"""{"url":"{{receiver.Url}}","events":["link.created"]}""");
        await c.PostJsonAsync("/api/v1/webhook-endpoints", """{"url":"http://127.0.0.1:9/nobody-listens","events":["link.created"]}""");
        receiver.Answer = async ctx => await Task.Delay(TimeSpan.FromSeconds(5), ctx.RequestAborted);   // longer than the 1 s timeout
        var started = TimeProvider.System.GetTimestamp();
        await c.CreateLinkAsync();
        await host.DrainAsync();
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(4));
        receiver.Answer = ctx => { ctx.Response.StatusCode = 302; ctx.Response.Headers.Location = "http://169.254.169.254/"; return Task.CompletedTask; };
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await host.DrainAsync();
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var errors = await db.WebhookDeliveries.Where(d => d.MerchantId == m.Merchant.Id).Select(d => new { d.LastError, d.Attempts, d.Status }).ToListAsync();
        Assert.All(errors, e => { Assert.Equal(WebhookDeliveryStatus.Pending, e.Status); Assert.Equal(2, e.Attempts); });
        Assert.Contains(errors, e => e.LastError == "HTTP 302");
        Assert.Contains(errors, e => e.LastError!.Contains("127.0.0.1:9", StringComparison.Ordinal));
        var jobs = await db.Jobs.Where(j => j.Type == DeliverWebhook.JobType && j.State == JobState.Pending).Select(j => j.LastError).ToListAsync();
        Assert.Contains("HTTP 302", jobs);
    }

    [Fact]
    public async Task Endpoint_PrivateAddress_RefusedUnlessAllowed_AlsoAtDeliveryTime()
    {
        var errors = new Paylink.Core.Common.ValidationErrors();
        var strict = new WebhooksOptions();
        foreach (var url in new[] { "https://127.0.0.1/h", "https://10.1.2.3/h", "https://169.254.169.254/latest", "https://[::1]/h", "https://localhost/h", "https://192.168.0.1/h" })
            Assert.Null(await WebhookUrls.ValidateAsync(url, strict, errors, default));
        Assert.Null(await WebhookUrls.ValidateAsync("http://hooks.example.com/h", strict, errors, default));   // https only
        Assert.NotNull(await WebhookUrls.ValidateAsync("https://8.8.8.8/h", strict, errors, default));

        // Delivery time: the connection itself refuses a non-public address.
        using var handler = new SocketsHttpHandler { ConnectCallback = Paylink.Core.Common.OutboundGuard.ConnectCallback(allowPrivate: false) };
        using var http = new HttpClient(handler);
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("http://localhost:9/"));
        Assert.IsType<Paylink.Core.Common.OutboundRefusedException>(ex.InnerException);
    }
}

public sealed class WebhooksSqliteTests(SqliteWebhookHost host) : WebhooksTests<SqliteWebhookHost>(host);
public sealed class WebhooksPostgresTests(PostgresWebhookHost host) : WebhooksTests<PostgresWebhookHost>(host);
