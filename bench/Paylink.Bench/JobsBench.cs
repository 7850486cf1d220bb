using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Paylink.Core;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Merchants;
using Paylink.Core.Webhooks;
using Paylink.Providers;

namespace Paylink.Bench;

/// <summary>
/// Job throughput and pickup latency on SQLite or PostgreSQL:
/// <c>jobs --db sqlite|postgres [--jobs 20000] [--webhooks 3000] [--samples 300] [--concurrency 32]</c>.
/// PostgreSQL needs PAYLINK_TEST_POSTGRES (an admin connection; a database is created and dropped).
/// Throughput: all jobs enqueued first, then one runner drains them (wall time to the last success).
/// Latency: with the runner idle, one job committed at a time; time from commit to the handler starting,
/// both when the enqueuing process is the runner's (signal) and when it is another instance (poll).
/// </summary>
public static class JobsBench
{
    private static readonly ConcurrentDictionary<long, long> StartedAt = new();
    private static long _noops;

    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string dflt) { var i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : dflt; }
        var kind = Arg("--db", "sqlite");
        var jobs = int.Parse(Arg("--jobs", "20000"), CultureInfo.InvariantCulture);
        var hooks = int.Parse(Arg("--webhooks", "3000"), CultureInfo.InvariantCulture);
        var samples = int.Parse(Arg("--samples", "300"), CultureInfo.InvariantCulture);
        var concurrency = Arg("--concurrency", "32");

        var (settings, cleanup) = await CreateDatabaseAsync(kind);
        settings["Jobs:Concurrency"] = concurrency;
        settings["Webhooks:AllowPrivateNetworks"] = "true";
        settings["Webhooks:AllowHttp"] = "true";
        settings["Demo:Seed"] = "false";
        try
        {
            await using var receiver = await StartReceiverAsync();
            await using var sp = Build(settings);
            await using var other = Build(settings);   // a second "instance" for the cross-instance latency
            await using (var scope = sp.CreateAsyncScope()) await scope.ServiceProvider.GetRequiredService<Migrator>().MigrateAsync(default);

            Console.WriteLine($"# Jobs benchmark: {kind}, {Environment.ProcessorCount} cores, concurrency {concurrency}, .NET {Environment.Version}");
            await ThroughputAsync(sp, "no-op", jobs, async () => await EnqueueNoopsAsync(sp, jobs));
            var url = receiver.Urls.First() + "/hook";
            await ThroughputAsync(sp, "webhook", hooks, async () => await EnqueueWebhooksAsync(sp, url, hooks));
            await LatencyAsync(sp, sp, "same instance (signal)", samples);
            await LatencyAsync(sp, other, "other instance (poll 200 ms)", samples);
            return 0;
        }
        finally
        {
            await cleanup();
        }
    }

    internal static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddLogging(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Error)
            .AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None));
        services.AddPaylinkCore(config);
        services.AddPaylinkProviders();
        services.AddJobHandler<NoopHandler>(NoopHandler.Type);
        return services.BuildServiceProvider();
    }

    private static async Task ThroughputAsync(ServiceProvider sp, string what, int count, Func<Task> enqueue)
    {
        var sw = Stopwatch.StartNew();
        await enqueue();
        Console.WriteLine($"{what}: enqueued {count} in {sw.Elapsed.TotalSeconds:F1} s");
        using var stop = new CancellationTokenSource();
        sw.Restart();
        var run = sp.GetRequiredService<JobRunner>().RunAsync(stop.Token);
        while (await RemainingAsync(sp) > 0) await Task.Delay(20);
        var elapsed = sw.Elapsed;
        await stop.CancelAsync();
        await run;
        Console.WriteLine($"{what}: {count} jobs in {elapsed.TotalSeconds:F2} s = {count / elapsed.TotalSeconds:F0} jobs/s");
    }

    private static async Task<int> RemainingAsync(ServiceProvider sp)
    {
        await using var db = sp.GetRequiredService<Func<AppDbContext>>()();
        return await db.Jobs.CountAsync(j => j.RecurEverySeconds == null && (j.State == JobState.Pending || j.State == JobState.Running));
    }

    private static async Task EnqueueNoopsAsync(ServiceProvider sp, int count)
    {
        for (var done = 0; done < count; done += 1000)
        {
            await using var scope = sp.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var queue = scope.ServiceProvider.GetRequiredService<IJobQueue>();
            for (var i = done; i < Math.Min(count, done + 1000); i++) queue.Enqueue(db, NoopHandler.Type, new { i });
            await db.SaveChangesAsync();
        }
    }

    private static async Task EnqueueWebhooksAsync(ServiceProvider sp, string url, int count)
    {
        string merchantId, endpointId;
        await using (var scope = sp.CreateAsyncScope())
        {
            var m = await scope.ServiceProvider.GetRequiredService<CreateMerchant>().HandleAsync(new CreateMerchantRequest("Bench"), default);
            merchantId = m.Value.Merchant.Id;
            var e = await scope.ServiceProvider.GetRequiredService<CreateWebhookEndpoint>()
                .HandleAsync(merchantId, new CreateWebhookEndpointRequest(url, ["link.paid"]), default);
            endpointId = e.Value.Endpoint.Id;
        }
        var body = new string('x', 900);
        for (var done = 0; done < count; done += 500)
        {
            await using var scope = sp.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var queue = scope.ServiceProvider.GetRequiredService<IJobQueue>();
            var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
            for (var i = done; i < Math.Min(count, done + 500); i++)
            {
                var d = WebhookDelivery.Create(merchantId, endpointId, "link.paid", "evt_bench", $$"""{"n":{{i}},"pad":"{{body}}"}""", clock);
                db.WebhookDeliveries.Add(d);
                queue.Enqueue(db, DeliverWebhook.JobType, new DeliverWebhook.Payload(d.Id));
            }
            await db.SaveChangesAsync();
        }
    }

    private static async Task LatencyAsync(ServiceProvider runnerSp, ServiceProvider enqueueSp, string what, int samples)
    {
        using var stop = new CancellationTokenSource();
        var run = runnerSp.GetRequiredService<JobRunner>().RunAsync(stop.Token);
        await Task.Delay(500);
        var latencies = new List<double>(samples);
        var rnd = new Random(1);
        for (var i = 0; i < samples; i++)
        {
            await using var scope = enqueueSp.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var job = scope.ServiceProvider.GetRequiredService<IJobQueue>().Enqueue(db, NoopHandler.Type, new { i });
            await db.SaveChangesAsync();
            var committed = Stopwatch.GetTimestamp();
            var until = committed + Stopwatch.Frequency * 5;
            long started;
            while (!StartedAt.TryGetValue(job.Id, out started) && Stopwatch.GetTimestamp() < until) await Task.Delay(1);
            latencies.Add(Stopwatch.GetElapsedTime(committed, Math.Max(started, committed)).TotalMilliseconds);
            await Task.Delay(rnd.Next(5, 60));   // idle between jobs, at random phases of the poll
        }
        await stop.CancelAsync();
        await run;
        latencies.Sort();
        double P(double q) => latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(q * latencies.Count) - 1)];
        Console.WriteLine($"pickup latency, {what}: p50 {P(0.50):F1} ms, p99 {P(0.99):F1} ms, max {latencies[^1]:F1} ms ({samples} samples)");
    }

    private static async Task<WebApplication> StartReceiverAsync()
    {
        var b = WebApplication.CreateSlimBuilder();
        b.Logging.ClearProviders();
        b.WebHost.UseUrls("http://127.0.0.1:0");
        var app = b.Build();
        app.MapPost("/hook", () => Results.NoContent());
        await app.StartAsync();
        return app;
    }

    internal static async Task<(Dictionary<string, string?> Settings, Func<Task> Cleanup)> CreateDatabaseAsync(string kind)
    {
        if (kind == "sqlite")
        {
            var dir = Directory.CreateTempSubdirectory("paylink-bench-").FullName;
            return (new() { ["Database:Provider"] = "sqlite", ["DATA_DIR"] = dir, ["Database:ConnectionString"] = $"Data Source={Path.Combine(dir, "paylink.db")};Default Timeout=30" },
                () => { Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); Directory.Delete(dir, true); return Task.CompletedTask; });
        }
        var admin = Environment.GetEnvironmentVariable("PAYLINK_TEST_POSTGRES") ?? throw new InvalidOperationException("Set PAYLINK_TEST_POSTGRES.");
        var name = "bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var c = new NpgsqlConnection(admin)) { await c.OpenAsync(); await new NpgsqlCommand($"CREATE DATABASE {name}", c).ExecuteNonQueryAsync(); }
        var cs = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 100 }.ConnectionString;
        var dataDir = Directory.CreateTempSubdirectory("paylink-bench-").FullName;
        return (new() { ["Database:Provider"] = "postgres", ["Database:ConnectionString"] = cs, ["DATA_DIR"] = dataDir }, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var c = new NpgsqlConnection(admin);
            await c.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", c).ExecuteNonQueryAsync();
        });
    }

    private sealed class NoopHandler : IJobHandler
    {
        public const string Type = "bench.noop";

        public Task<JobResult> HandleAsync(JobContext job, CancellationToken ct)
        {
            StartedAt.TryAdd(job.Id, Stopwatch.GetTimestamp());
            Interlocked.Increment(ref _noops);
            return Task.FromResult(JobResult.Done);
        }
    }
}
