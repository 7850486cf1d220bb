extern alias cli;
using System.Collections.Concurrent;
using System.CommandLine;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Payments;
using Paylink.IntegrationTests.Infrastructure;
using Paylink.IntegrationTests.Webhooks;
using Paylink.Providers.Gateways.Sandbox;
using CliApp = cli::Paylink.Cli.CliApp;
using JobsCommand = cli::Paylink.Cli.Commands.JobsCommand;
using WebhooksCommand = cli::Paylink.Cli.Commands.WebhooksCommand;

namespace Paylink.IntegrationTests.Operations;

/// <summary>Captures every log line (Debug and up) and can cut the sandbox acquirer off from Paylink.</summary>
public class OperationsHost(Db kind) : WebhookHost(kind)
{
    public ConcurrentQueue<string> Logs { get; } = new();
    public volatile bool PaylinkUnreachable;

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new SinkProvider(Logs)));
        services.AddHttpClient(SandboxAcquirer.HttpClientName).AddHttpMessageHandler(() => new Outage(this));
    }

    private sealed class Outage(OperationsHost host) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            host.PaylinkUnreachable ? throw new HttpRequestException("Connection refused (simulated Paylink outage)") : base.SendAsync(request, ct);
    }

    private sealed class SinkProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Sink(categoryName, sink);
        public void Dispose() { }
    }

    private sealed class Sink(string category, ConcurrentQueue<string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

public sealed class SqliteOperationsHost() : OperationsHost(Db.Sqlite);
public sealed class PostgresOperationsHost() : OperationsHost(Db.Postgres);

public abstract class OperationsTests<THost>(THost host) : IClassFixture<THost> where THost : OperationsHost
{
    [Fact]
    public async Task FullFlow_LinkWithPhonePayAndWebhook_LogsHoldNoSecretsOrPhone()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        var ep = await (await c.PostJsonAsync("/api/v1/webhook-endpoints", $$"""{"url":"{{receiver.Url}}?token=merchant-url-token-123","events":["link.created","link.paid"]}"""))
            .ReadJsonAsync(HttpStatusCode.Created);
        await c.PostJsonAsync("/api/v1/webhook-endpoints", """{"url":"http://127.0.0.1:9/x?token=merchant-url-token-456","events":["link.paid"]}""");
        var link = await (await c.PostJsonAsync("/api/v1/links",
            """{"amount":250000,"currency":"RUB","description":"Стрижка","customer":{"name":"Анна","phone":"+7 916 123-45-67"}}""")).ReadJsonAsync(HttpStatusCode.Created);
        var pay = await host.Client().PostAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery + "/pay", new FormUrlEncodedContent([]));
        var done = await host.Client().PostAsync(pay.Headers.Location!.PathAndQuery, new FormUrlEncodedContent([new("outcome", "success")]));
        Assert.Equal(HttpStatusCode.SeeOther, done.StatusCode);
        await host.DrainAsync();
        Assert.Equal(2, receiver.Requests.Count);

        string sandboxSecret;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var sp = scope.ServiceProvider;
            var account = await sp.GetRequiredService<AppDbContext>().GatewayAccounts.SingleAsync(a => a.MerchantId == m.Merchant.Id);
            sandboxSecret = sp.GetRequiredService<GatewayAccounts>().Open(account).Value.Context.Settings["secret"]!.GetValue<string>();
        }
        var logs = string.Join('\n', host.Logs);
        Assert.Contains("Webhook", logs);   // the capture works
        foreach (var secret in new[] { m.ApiKey, ep.GetProperty("secret").GetString()!, sandboxSecret, "+79161234567", "79161234567", "9161234567",
                     "merchant-url-token-123", "merchant-url-token-456" })
            Assert.DoesNotContain(secret, logs);
    }

    [Fact]
    public async Task SandboxNotification_PaylinkUnreachable_RedirectsAnyway_JobRetriesUntilPaid()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        var link = await c.CreateLinkAsync();
        var pay = await host.Client().PostAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery + "/pay", new FormUrlEncodedContent([]));
        host.PaylinkUnreachable = true;
        var done = await host.Client().PostAsync(pay.Headers.Location!.PathAndQuery, new FormUrlEncodedContent([new("outcome", "success")]));
        host.PaylinkUnreachable = false;
        Assert.Equal(HttpStatusCode.SeeOther, done.StatusCode);
        Assert.Equal(link.GetProperty("url").GetString(), done.Headers.Location?.ToString());
        var id = link.GetProperty("id").GetString();
        Assert.Equal("open", (await (await c.GetAsync("/api/v1/links/" + id)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());

        Job job;
        await using (var scope = host.Services.CreateAsyncScope())
            job = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Jobs
                .SingleAsync(j => j.Type == SandboxNotifyHandler.JobType && j.DedupeKey == IdOf(pay.Headers.Location!));
        Assert.Equal(JobState.Pending, job.State);
        Assert.Equal(1, job.Attempts);
        Assert.Contains("simulated Paylink outage", job.LastError);

        host.Clock.Advance(TimeSpan.FromSeconds(10));
        await host.DrainAsync();
        Assert.Equal("paid", (await (await c.GetAsync("/api/v1/links/" + id)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ExpireTask_ExpiresDueOpenLinks_NotPaidOnes_AndSendsLinkExpired()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        await c.PostJsonAsync("/api/v1/webhook-endpoints", $$"""{"url":"{{receiver.Url}}","events":["link.expired"]}""");
        var soon = host.Clock.GetUtcNow().AddMinutes(5).ToString("O");
        var expiring = await (await c.PostJsonAsync("/api/v1/links", $$"""{"amount":100,"currency":"RUB","description":"a","expiresAt":"{{soon}}"}""")).ReadJsonAsync(HttpStatusCode.Created);
        var paid = await (await c.PostJsonAsync("/api/v1/links", $$"""{"amount":100,"currency":"RUB","description":"b","expiresAt":"{{soon}}"}""")).ReadJsonAsync(HttpStatusCode.Created);
        var pay = await host.Client().PostAsync(new Uri(paid.GetProperty("url").GetString()!).PathAndQuery + "/pay", new FormUrlEncodedContent([]));
        await host.Client().PostAsync(pay.Headers.Location!.PathAndQuery, new FormUrlEncodedContent([new("outcome", "success")]));
        host.Clock.Advance(TimeSpan.FromMinutes(6));

        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ExpirePaymentLinks>().RunAsync(default);
        await host.DrainAsync();

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var e = await db.PaymentLinks.SingleAsync(l => l.Id == expiring.GetProperty("id").GetString());
            Assert.Equal(LinkStatus.Expired, e.Status);
            Assert.Equal(host.Clock.GetUtcNow(), e.ExpiredAt);
            Assert.Equal(1, await db.LinkEvents.CountAsync(x => x.LinkId == e.Id && x.Type == "expired"));
            Assert.Equal(LinkStatus.Paid, (await db.PaymentLinks.SingleAsync(l => l.Id == paid.GetProperty("id").GetString())).Status);
        }
        var hook = Assert.Single(receiver.Requests);
        Assert.Contains("\"link.expired\"", hook.Body);
        Assert.Contains(expiring.GetProperty("id").GetString()!, hook.Body);
    }

    [Fact]
    public async Task Expire_RacingPayment_VersionTokenMakesThePaymentWin()
    {
        var m = await host.NewMerchantAsync();
        var link = await host.Client(m.ApiKey).CreateLinkAsync();
        var id = link.GetProperty("id").GetString()!;
        await using var s1 = host.Services.CreateAsyncScope();
        await using var s2 = host.Services.CreateAsyncScope();
        var expirer = s1.ServiceProvider.GetRequiredService<AppDbContext>();
        var payer = s2.ServiceProvider.GetRequiredService<AppDbContext>();
        var stale = await expirer.PaymentLinks.SingleAsync(l => l.Id == id);
        (await payer.PaymentLinks.SingleAsync(l => l.Id == id)).MarkPaid(host.Clock.GetUtcNow());
        await payer.SaveChangesAsync();
        Assert.True(stale.Expire(stale.ExpiresAt));
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => expirer.SaveChangesAsync());
    }

    [Fact]
    public async Task IdempotencyPurge_DeletesAnswersOlderThanRetention()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        var req = new HttpRequestMessage(HttpMethod.Post, "/api/v1/links") { Content = HttpAssert.Json("""{"amount":100,"currency":"RUB","description":"x"}""") };
        req.Headers.Add("Idempotency-Key", "purge-me");
        await c.SendAsync(req);
        async Task<int> CountAsync()
        {
            await using var scope = host.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<AppDbContext>().IdempotencyRecords.CountAsync(r => r.MerchantId == m.Merchant.Id);
        }
        async Task PurgeAsync()
        {
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<PurgeIdempotencyRecords>().RunAsync(default);
        }
        await PurgeAsync();
        Assert.Equal(1, await CountAsync());
        host.Clock.Advance(TimeSpan.FromHours(25));
        await PurgeAsync();
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task Health_LivenessAndReadiness_MetricsEndpointServesJobMetrics()
    {
        Assert.Equal(HttpStatusCode.OK, (await host.Client().GetAsync("/healthz")).StatusCode);
        var ready = await (await host.Client().GetAsync("/readyz")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("jobs").GetProperty("status").GetString());

        var m = await host.NewMerchantAsync();
        await host.Client(m.ApiKey).PostJsonAsync("/api/v1/webhook-endpoints", """{"url":"http://127.0.0.1:9/down","events":["link.created"]}""");
        await host.Client(m.ApiKey).CreateLinkAsync();
        await host.DrainAsync();
        var metrics = await (await host.Client().GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Contains("paylink_jobs_finished", metrics);
        Assert.Contains("outcome=\"retry\"", metrics);
        Assert.Contains("paylink_webhooks_attempts", metrics);
        Assert.Contains("http_server_request_duration", metrics);

        // A backlog older than the limit makes the instance not ready.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            scope.ServiceProvider.GetRequiredService<IJobQueue>().Enqueue(db, DeliverWebhookType, new { DeliveryId = "msg_none" });
            await db.SaveChangesAsync();
        }
        host.Clock.Advance(TimeSpan.FromMinutes(10));
        var stuck = await host.Client().GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, stuck.StatusCode);
        await host.DrainAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.Client().GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Cli_JobsListStatsRetry_WebhooksRedeliver()
    {
        var m = await host.NewMerchantAsync();
        await host.Client(m.ApiKey).PostJsonAsync("/api/v1/webhook-endpoints", """{"url":"http://127.0.0.1:9/down","events":["link.created"]}""");
        await host.Client(m.ApiKey).CreateLinkAsync();
        long jobId;
        string deliveryId;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var delivery = await db.WebhookDeliveries.SingleAsync(d => d.MerchantId == m.Merchant.Id);
            deliveryId = delivery.Id;
            jobId = await db.Jobs.Where(j => j.Type == DeliverWebhookType && j.Payload.Contains(deliveryId)).Select(j => j.Id).SingleAsync();
            // Use up the attempts: dead-letter it.
            await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.Attempts, j => j.MaxAttempts - 1));
        }
        await host.DrainAsync();

        var root = new RootCommand { JobsCommand.Create(), WebhooksCommand.Create() };
        async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            CliApp.Out = o;
            CliApp.Err = e;
            CliApp.Overrides = host.Database.Settings;
            try { return (await CliApp.InvokeAsync(root, args), o.ToString(), e.ToString()); }
            finally { CliApp.Out = Console.Out; CliApp.Err = Console.Error; CliApp.Overrides = null; }
        }
        var list = await RunAsync("jobs", "list", "--state", "dead");
        Assert.Equal(0, list.Code);
        Assert.Contains($"{jobId}", list.Out);
        Assert.Contains("webhook.deliver", list.Out);
        Assert.Contains("127.0.0.1:9", list.Out);   // the cause is visible
        var stats = await RunAsync("jobs", "stats");
        Assert.Matches(@"dead [1-9]", stats.Out);
        Assert.Equal(2, (await RunAsync("jobs", "list", "--state", "zombie")).Code);
        var retry = await RunAsync("jobs", "retry", jobId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, retry.Code);
        Assert.Contains("due now", retry.Out);
        Assert.Equal(1, (await RunAsync("jobs", "retry", "99999999")).Code);
        var redeliver = await RunAsync("webhooks", "redeliver", deliveryId);
        Assert.Equal(0, redeliver.Code);
        Assert.Contains("queued", redeliver.Out);
        await using var s = host.Services.CreateAsyncScope();
        Assert.Equal(JobState.Pending, (await s.ServiceProvider.GetRequiredService<AppDbContext>().Jobs.SingleAsync(j => j.Id == jobId)).State);
    }

    private const string DeliverWebhookType = Paylink.Core.Webhooks.DeliverWebhook.JobType;

    private static string IdOf(Uri checkout) => checkout.ToString()[(checkout.ToString().LastIndexOf('/') + 1)..];
}

public sealed class OperationsSqliteTests(SqliteOperationsHost host) : OperationsTests<SqliteOperationsHost>(host);
public sealed class OperationsPostgresTests(PostgresOperationsHost host) : OperationsTests<PostgresOperationsHost>(host);
