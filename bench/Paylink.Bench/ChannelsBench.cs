using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Merchants;
using Paylink.Core.Messaging;
using Paylink.Core.PaymentLinks;

namespace Paylink.Bench;

/// <summary>
/// Telegram sending through the real job runner and adapter to a local fake Bot API:
/// <c>channels --db sqlite|postgres [--messages 600] [--samples 100] [--concurrency 32]</c>.
/// Throughput: all sends queued at once (one chat each), wall time until the fake received the last one;
/// the adapter keeps Telegram's 30 msg/s per bot, so that is the expected ceiling.
/// Latency: one send every 100 ms; time from the SendLinkMessage call to the fake receiving the message.
/// </summary>
public static class ChannelsBench
{
    private const string Token = "123456789:AABenchTokenBenchTokenBenchToken00";
    private static readonly ConcurrentDictionary<string, long> Received = new();

    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string dflt) { var i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : dflt; }
        var kind = Arg("--db", "sqlite");
        var messages = int.Parse(Arg("--messages", "600"), CultureInfo.InvariantCulture);
        var samples = int.Parse(Arg("--samples", "100"), CultureInfo.InvariantCulture);
        var (settings, cleanup) = await JobsBench.CreateDatabaseAsync(kind);
        settings["Jobs:Concurrency"] = Arg("--concurrency", "32");
        settings["Demo:Seed"] = "false";
        try
        {
            await using var bot = await StartBotAsync();
            await using var sp = JobsBench.Build(settings);
            await using (var scope = sp.CreateAsyncScope()) await scope.ServiceProvider.GetRequiredService<Migrator>().MigrateAsync(default);
            var (merchantId, accountId) = await SetupAsync(sp, bot.Urls.First() + "/");
            Console.WriteLine($"# Channels benchmark: {kind}, {Environment.ProcessorCount} cores, concurrency {settings["Jobs:Concurrency"]}, .NET {Environment.Version}");

            using var stop = new CancellationTokenSource();
            var run = sp.GetRequiredService<JobRunner>().RunAsync(stop.Token);
            var links = await LinksAsync(sp, merchantId, messages + samples);

            var start = Stopwatch.GetTimestamp();
            var sentAt = new ConcurrentDictionary<string, long>();
            await Parallel.ForEachAsync(Enumerable.Range(0, messages), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            {
                var chat = (1_000_000 + i).ToString(CultureInfo.InvariantCulture);
                sentAt[chat] = Stopwatch.GetTimestamp();
                await SendAsync(sp, merchantId, links[i], accountId, chat);
            });
            var queued = Stopwatch.GetElapsedTime(start);
            while (Received.Count < messages) await Task.Delay(20);
            var total = Stopwatch.GetElapsedTime(start);
            var tput = Latencies(sentAt);
            Console.WriteLine($"throughput: {messages} messages queued in {queued.TotalSeconds:F2} s, all received in {total.TotalSeconds:F2} s → {messages / total.TotalSeconds:F1} msg/s; " +
                $"send→received under load p50 {tput.P50:F0} ms, p99 {tput.P99:F0} ms");

            Received.Clear();
            var sampleSent = new ConcurrentDictionary<string, long>();
            for (var i = 0; i < samples; i++)
            {
                var chat = (5_000_000 + i).ToString(CultureInfo.InvariantCulture);
                sampleSent[chat] = Stopwatch.GetTimestamp();
                await SendAsync(sp, merchantId, links[messages + i], accountId, chat);
                await Task.Delay(100);
            }
            while (Received.Count < samples) await Task.Delay(20);
            var lat = Latencies(sampleSent);
            Console.WriteLine($"latency (1 send / 100 ms, {samples} samples): send call → fake Bot API received p50 {lat.P50:F1} ms, p99 {lat.P99:F1} ms");
            await stop.CancelAsync();
            try { await run; } catch (OperationCanceledException) { }
            return 0;
        }
        finally
        {
            await cleanup();
        }
    }

    private static (double P50, double P99) Latencies(ConcurrentDictionary<string, long> sent)
    {
        var ms = sent.Select(kv => Stopwatch.GetElapsedTime(kv.Value, Received[kv.Key]).TotalMilliseconds).Order().ToList();
        return (ms[(int)(ms.Count * 0.50)], ms[Math.Min(ms.Count - 1, (int)(ms.Count * 0.99))]);
    }

    private static async Task SendAsync(IServiceProvider sp, string merchantId, string linkId, string accountId, string chat)
    {
        await using var scope = sp.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var r = await scope.ServiceProvider.GetRequiredService<SendLinkMessage>().HandleAsync(merchantId, linkId, new SendLinkRequest(accountId, chat, null), default);
        if (!r.IsSuccess) throw new InvalidOperationException(r.Error!.Message);
        await db.SaveChangesAsync();
    }

    private static async Task<(string, string)> SetupAsync(IServiceProvider sp, string botUrl)
    {
        await using var scope = sp.CreateAsyncScope();
        var m = (await scope.ServiceProvider.GetRequiredService<CreateMerchant>().HandleAsync(new CreateMerchantRequest("Бенчмарк"), default)).Value;
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var account = (await scope.ServiceProvider.GetRequiredService<ChannelAccounts>().CreateAsync(m.Merchant.Id, "telegram", "bench",
            new JsonObject { ["botToken"] = Token, ["baseUrl"] = botUrl }, default)).Value;
        await db.SaveChangesAsync();
        return (m.Merchant.Id, account.Id);
    }

    private static async Task<List<string>> LinksAsync(IServiceProvider sp, string merchantId, int n)
    {
        var ids = new List<string>();
        for (var i = 0; i < n; i++)
        {
            await using var scope = sp.CreateAsyncScope();
            var r = await scope.ServiceProvider.GetRequiredService<CreatePaymentLink>().HandleAsync(merchantId,
                new CreatePaymentLinkRequest(250000, "RUB", "Маникюр"), default);
            ids.Add(r.Value.Id);
        }
        return ids;
    }

    private static async Task<WebApplication> StartBotAsync()
    {
        var b = WebApplication.CreateSlimBuilder();
        b.WebHost.UseUrls("http://127.0.0.1:0");
        b.Logging.ClearProviders();
        var app = b.Build();
        var id = 0;
        app.MapPost("/bot{token}/{method}", (string token, string method, JsonObject body) =>
        {
            Received.TryAdd(body["chat_id"]!.ToJsonString(), Stopwatch.GetTimestamp());
            return Results.Json(new JsonObject { ["ok"] = true, ["result"] = new JsonObject { ["message_id"] = Interlocked.Increment(ref id) } });
        });
        await app.StartAsync();
        return app;
    }
}
