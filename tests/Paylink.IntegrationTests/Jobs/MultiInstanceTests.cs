using System.Data.Common;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Jobs;

/// <summary>
/// Several runner instances (each its own DI container and DbContext pool, as separate processes would
/// have) on one database, with real time and real concurrency: every job's effect happens exactly once,
/// none is lost when an instance stops mid-run or dies holding claims, and a database outage is survived.
/// </summary>
public abstract class MultiInstanceTests(Db kind, int instances)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(45);

    private static Dictionary<string, string?> RunnerSettings => new()
    {
        ["Jobs:PollInterval"] = "00:00:00.050",
        ["Jobs:Concurrency"] = "8",
        ["Jobs:LeaseDuration"] = "00:00:05",
        ["Jobs:HandlerTimeout"] = "00:00:04",
    };

    [Fact]
    public async Task Runners_2000Jobs_OneStoppedAndOneCrashedMidRun_EachEffectExactlyOnce()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await JobTestKit.CreateEffectsTableAsync(database);
        var log = new TestJobLog();
        var providers = Enumerable.Range(0, instances)
            .Select(_ => database.BuildServices(null, s => { s.AddSingleton(log); JobTestKit.AddTestHandlers(s); }, RunnerSettings)).ToList();
        try
        {
            var ids = await JobTestKit.EnqueueAsync(providers[0], EffectHandler.Type, 2000);
            var t0 = TimeProvider.System.GetTimestamp();

            // A "crashed" instance: claims 40 jobs with a 2-second lease and never finishes them.
            await using (var db = providers[0].GetRequiredService<Func<AppDbContext>>()())
                Assert.Equal(40, (await providers[0].GetRequiredService<JobStore>().ClaimAsync(db, "crashed/1", 40, TimeSpan.FromSeconds(2), default)).Count);

            var stops = providers.Select(_ => new CancellationTokenSource()).ToList();
            var runs = providers.Select((p, i) => Task.Run(() => p.GetRequiredService<JobRunner>().RunAsync(stops[i].Token))).ToList();

            // Stop the first instance once a quarter of the work is done: its running jobs are handed back.
            await JobTestKit.WaitUntilAsync(async () => await JobTestKit.CountEffectsAsync(providers[0]) >= 500, Bound, "a quarter of the jobs");
            await stops[0].CancelAsync();
            await runs[0];

            await JobTestKit.WaitUntilAsync(async () => await CountAsync(providers[1], JobState.Succeeded) == ids.Count, Bound, "all jobs to succeed");
            foreach (var s in stops) await s.CancelAsync();
            await Task.WhenAll(runs);

            Assert.Equal(ids.Count, await JobTestKit.CountEffectsAsync(providers[1]));
            var missing = ids.Except(log.Runs.Keys).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} job(s) never completed a run, e.g. {string.Join(", ", missing.Take(5))}; started {log.Started.Count}, elapsed {TimeProvider.System.GetElapsedTime(t0)}");
            // Only jobs that were in flight at the stop or held by the crashed instance may have run twice.
            Assert.InRange(log.Started.Count, ids.Count, ids.Count + 40 + 8);
            Assert.Equal(0, await CountAsync(providers[1], JobState.Pending) + await CountAsync(providers[1], JobState.Running)
                + await CountAsync(providers[1], JobState.Dead));
        }
        finally
        {
            foreach (var p in providers) await p.DisposeAsync();
        }
    }

    [Fact]
    public async Task Runners_HandlersOutliveTheLease_HeartbeatKeepsTheClaims_NoSecondRun()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await JobTestKit.CreateEffectsTableAsync(database);
        var log = new TestJobLog { Gate = TestJobLog.NewGate(released: false) };
        var settings = new Dictionary<string, string?>(RunnerSettings) { ["Jobs:LeaseDuration"] = "00:00:02", ["Jobs:HandlerTimeout"] = "00:00:30" };
        var providers = Enumerable.Range(0, 2)
            .Select(_ => database.BuildServices(null, s => { s.AddSingleton(log); JobTestKit.AddTestHandlers(s); }, settings)).ToList();
        try
        {
            var ids = await JobTestKit.EnqueueAsync(providers[0], EffectHandler.Type, 12);
            using var stop = new CancellationTokenSource();
            var runs = providers.Select(p => Task.Run(() => p.GetRequiredService<JobRunner>().RunAsync(stop.Token))).ToList();
            await JobTestKit.WaitUntilAsync(() => Task.FromResult(log.Started.Distinct().Count() == ids.Count), Bound, "every job to start");

            // Handlers block for three leases; without the heartbeat the other instance would take them over.
            await Task.Delay(TimeSpan.FromSeconds(6));
            Assert.Equal(ids.Count, await CountAsync(providers[1], JobState.Running));
            log.Gate.SetResult();

            await JobTestKit.WaitUntilAsync(async () => await CountAsync(providers[1], JobState.Succeeded) == ids.Count, Bound, "all jobs to succeed");
            await stop.CancelAsync();
            await Task.WhenAll(runs);
            Assert.Equal(ids.Count, log.Started.Count);   // each started once: no lease ran out under a live holder
            Assert.All(ids, id => Assert.Equal(1, log.Runs[id]));
        }
        finally
        {
            foreach (var p in providers) await p.DisposeAsync();
        }
    }

    [Fact]
    public async Task Runner_HolderCrashedWithTheDefaultLease_ItsJobsRunWithinSeconds()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await JobTestKit.CreateEffectsTableAsync(database);
        var settings = new Dictionary<string, string?>(RunnerSettings);
        settings.Remove("Jobs:LeaseDuration");
        settings.Remove("Jobs:HandlerTimeout");
        await using var sp = database.BuildServices(null, JobTestKit.AddTestHandlers, settings);
        var lease = new JobsOptions().LeaseDuration;
        Assert.True(lease <= TimeSpan.FromSeconds(30), $"the default lease is {lease}");
        var ids = await JobTestKit.EnqueueAsync(sp, EffectHandler.Type, 20);

        // A holder that claimed the jobs (e.g. payments completed just before the crash) and died.
        await using (var db = sp.GetRequiredService<Func<AppDbContext>>()())
            Assert.Equal(ids.Count, (await sp.GetRequiredService<JobStore>().ClaimAsync(db, "crashed/1/x/1", ids.Count, lease, default)).Count);
        var t0 = TimeProvider.System.GetTimestamp();
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => sp.GetRequiredService<JobRunner>().RunAsync(stop.Token));
        await JobTestKit.WaitUntilAsync(async () => await CountAsync(sp, JobState.Succeeded) == ids.Count, Bound, "the crashed holder's jobs");
        var waited = TimeProvider.System.GetElapsedTime(t0);
        await stop.CancelAsync();
        await run;
        Assert.InRange(waited, lease - TimeSpan.FromSeconds(1), lease + TimeSpan.FromSeconds(10));
        Assert.Equal(ids.Count, await JobTestKit.CountEffectsAsync(sp));
    }

    [Fact]
    public async Task Runner_DatabaseUnreachableForAWhile_SurvivesAndFinishesEverything()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await JobTestKit.CreateEffectsTableAsync(database);
        var outage = new Outage();
        var errors = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) => { if (i.Name == "paylink.jobs.runner_errors") l.EnableMeasurementEvents(i); };
        listener.SetMeasurementEventCallback<long>((_, v, _, _) => Interlocked.Add(ref errors, v));
        listener.Start();
        await using var sp = database.BuildServices(null, s => { JobTestKit.AddTestHandlers(s); s.AddSingleton<IInterceptor>(outage); }, RunnerSettings);
        var ids = await JobTestKit.EnqueueAsync(sp, EffectHandler.Type, 100);

        outage.Down = true;
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => sp.GetRequiredService<JobRunner>().RunAsync(stop.Token));
        await JobTestKit.WaitUntilAsync(() => Task.FromResult(Interlocked.Read(ref errors) >= 2), Bound, "the runner to hit the outage");
        Assert.False(run.IsCompleted);   // still alive
        outage.Down = false;

        await JobTestKit.WaitUntilAsync(async () => await CountAsync(sp, JobState.Succeeded) == ids.Count, Bound, "all jobs after the outage");
        await stop.CancelAsync();
        await run;
        Assert.Equal(ids.Count, await JobTestKit.CountEffectsAsync(sp));
    }

    private static async Task<int> CountAsync(IServiceProvider sp, JobState state)
    {
        await using var db = sp.GetRequiredService<Func<AppDbContext>>()();
        return await db.Jobs.CountAsync(j => j.State == state && j.Type == EffectHandler.Type);
    }

    /// <summary>Makes every new database connection fail while <see cref="Down"/>.</summary>
    private sealed class Outage : DbConnectionInterceptor
    {
        public volatile bool Down;

        public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
            Down ? throw new InvalidOperationException("Simulated outage: the database is unreachable.") : result;

        public override ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default) =>
            Down ? throw new InvalidOperationException("Simulated outage: the database is unreachable.") : ValueTask.FromResult(result);
    }
}

public sealed class MultiInstancePostgresTests() : MultiInstanceTests(Db.Postgres, 3);
public sealed class MultiInstanceSqliteTests() : MultiInstanceTests(Db.Sqlite, 2);
