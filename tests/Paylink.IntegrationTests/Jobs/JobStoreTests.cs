using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Jobs;

/// <summary>One migrated database and a service provider with a fake clock and the test handlers.</summary>
public class JobsDb(Db kind) : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(PaylinkHost.Start);
    public TestDatabase Database { get; private set; } = null!;
    public ServiceProvider Services { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(kind);
        await JobTestKit.CreateEffectsTableAsync(Database);
        Services = Database.BuildServices(Clock, JobTestKit.AddTestHandlers);
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public sealed class SqliteJobsDb() : JobsDb(Db.Sqlite);
public sealed class PostgresJobsDb() : JobsDb(Db.Postgres);

/// <summary>The job status machine and the claim, one transition at a time, on both databases.</summary>
public abstract class JobStoreTests<TDb>(TDb fx) : IClassFixture<TDb> where TDb : JobsDb
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private JobStore Store => fx.Services.GetRequiredService<JobStore>();
    private AppDbContext NewDb() => fx.Services.GetRequiredService<Func<AppDbContext>>()();

    private async Task ResetAsync()
    {
        await using var db = NewDb();
        await db.Jobs.ExecuteDeleteAsync();
    }

    private async Task<List<Job>> ClaimAsync(string token, int max = 10)
    {
        await using var db = NewDb();
        return await Store.ClaimAsync(db, token, max, Lease, CancellationToken.None);
    }

    private async Task<long> EnqueueAsync(string type = EffectHandler.Type, DateTimeOffset? runAt = null, string? dedupe = null)
    {
        await using var scope = fx.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var job = scope.ServiceProvider.GetRequiredService<IJobQueue>().Enqueue(db, type, new TestPayload(1), runAt, dedupe);
        await db.SaveChangesAsync();
        return job.Id;
    }

    [Fact]
    public async Task Enqueue_NewJob_IsPendingAndDueNow()
    {
        await ResetAsync();
        var id = await EnqueueAsync();
        var job = await JobTestKit.GetAsync(fx.Services, id);
        Assert.Equal(JobState.Pending, job.State);
        Assert.Equal(fx.Clock.GetUtcNow(), job.RunAt);
        Assert.Equal(0, job.Attempts);
        Assert.Equal(JobRetryPolicy.Default.MaxAttempts, job.MaxAttempts);
    }

    [Fact]
    public async Task Claim_DueJob_MarksRunningWithLeaseAndCountsAttempt()
    {
        await ResetAsync();
        var id = await EnqueueAsync();
        var claimed = Assert.Single(await ClaimAsync("a/1"));
        Assert.Equal(id, claimed.Id);
        Assert.Equal(JobState.Running, claimed.State);
        Assert.Equal("a/1", claimed.LockedBy);
        Assert.Equal(fx.Clock.GetUtcNow() + Lease, claimed.LockedUntil);
        Assert.Equal(1, claimed.Attempts);
        Assert.Empty(await ClaimAsync("b/1"));   // held: nobody else gets it
    }

    [Fact]
    public async Task Claim_FutureJob_WaitsUntilDue()
    {
        await ResetAsync();
        await EnqueueAsync(runAt: fx.Clock.GetUtcNow().AddMinutes(1));
        Assert.Empty(await ClaimAsync("a/1"));
        fx.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(await ClaimAsync("a/2"));
    }

    [Fact]
    public async Task Claim_OldestDueFirst_UpToMax()
    {
        await ResetAsync();
        var now = fx.Clock.GetUtcNow();
        var late = await EnqueueAsync(runAt: now);
        var early = await EnqueueAsync(runAt: now.AddSeconds(-30));
        await EnqueueAsync(runAt: now.AddSeconds(-10));
        var claimed = await ClaimAsync("a/1", max: 2);
        Assert.Equal(2, claimed.Count);
        Assert.Contains(claimed, j => j.Id == early);
        Assert.DoesNotContain(claimed, j => j.Id == late);
    }

    [Fact]
    public async Task Claim_Concurrent_EveryJobToExactlyOneClaimer()
    {
        await ResetAsync();
        var ids = await JobTestKit.EnqueueAsync(fx.Services, EffectHandler.Type, 200);
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            var mine = new List<long>();
            for (List<Job> got; (got = await ClaimAsync($"c{i}/x", 7)).Count > 0;) mine.AddRange(got.Select(j => j.Id));
            return mine;
        })));
        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(ids.Count, all.Count);
        Assert.Equal(ids.Order(), all.Order());
    }

    [Fact]
    public async Task Complete_WithOwnToken_Succeeds_WithStaleTokenIsRefused()
    {
        await ResetAsync();
        await EnqueueAsync();
        var job = Assert.Single(await ClaimAsync("a/1"));
        await using (var db = NewDb()) Assert.False(await Store.CompleteAsync(db, job, "someone-else", CancellationToken.None));
        await using (var db = NewDb()) Assert.True(await Store.CompleteAsync(db, job, "a/1", CancellationToken.None));
        var done = await JobTestKit.GetAsync(fx.Services, job.Id);
        Assert.Equal(JobState.Succeeded, done.State);
        Assert.Null(done.LockedBy);
        Assert.Equal(fx.Clock.GetUtcNow(), done.CompletedAt);
        await using (var db = NewDb()) Assert.False(await Store.CompleteAsync(db, job, "a/1", CancellationToken.None));   // only once
    }

    [Fact]
    public async Task PurgeSucceeded_OlderThanRetention_DeletedInBatches_RecentPendingAndDeadKept()
    {
        await ResetAsync();
        for (var i = 0; i < 25; i++) await EnqueueAsync();
        var old = await ClaimAsync("a/1", max: 25);
        Assert.Equal(25, old.Count);
        await using (var db = NewDb()) Assert.Equal(25, await Store.CompleteManyAsync(db, old.Select(j => j.Id).ToList(), "a/1", CancellationToken.None));
        await EnqueueAsync(PermanentFailureHandler.Type);
        var doomed = Assert.Single(await ClaimAsync("b/1"));
        await using (var db = NewDb()) await Store.FailAsync(db, doomed, "b/1", JobResult.Fail("bad payload"), CancellationToken.None);

        fx.Clock.Advance(TimeSpan.FromDays(8));
        await EnqueueAsync();
        var recent = Assert.Single(await ClaimAsync("c/1"));
        await using (var db = NewDb()) Assert.True(await Store.CompleteAsync(db, recent, "c/1", CancellationToken.None));
        var pending = await EnqueueAsync(runAt: fx.Clock.GetUtcNow().AddHours(1));

        int deleted;
        await using (var db = NewDb()) deleted = await Store.PurgeSucceededAsync(db, fx.Clock.GetUtcNow() - TimeSpan.FromDays(7), CancellationToken.None, batchSize: 10);
        Assert.Equal(25, deleted);   // three batches: 10, 10, 5
        await using (var db = NewDb())
        {
            var left = await db.Jobs.AsNoTracking().Select(j => new { j.Id, j.State }).ToListAsync();
            Assert.Equal(3, left.Count);
            Assert.Contains(left, j => j.Id == recent.Id && j.State == JobState.Succeeded);
            Assert.Contains(left, j => j.Id == doomed.Id && j.State == JobState.Dead);
            Assert.Contains(left, j => j.Id == pending && j.State == JobState.Pending);
        }

        // The periodic task uses the configured retention (7 days): the recent success goes once it is old enough.
        fx.Clock.Advance(TimeSpan.FromDays(8));
        await using (var scope = fx.Services.CreateAsyncScope())
            await ActivatorUtilities.CreateInstance<PurgeSucceededJobs>(scope.ServiceProvider).RunAsync(CancellationToken.None);
        await using (var db = NewDb()) Assert.False(await db.Jobs.AnyAsync(j => j.State == JobState.Succeeded));
    }

    [Fact]
    public async Task Fail_BeforeLastAttempt_PendingAgainAfterJitteredBackoff()
    {
        await ResetAsync();
        await EnqueueAsync(FlakyHandler.Type);
        var job = Assert.Single(await ClaimAsync("a/1"));
        (JobState State, DateTimeOffset? Next)? failed;
        await using (var db = NewDb()) failed = await Store.FailAsync(db, job, "a/1", JobResult.Retry("HTTP 503"), CancellationToken.None);
        Assert.Equal(JobState.Pending, failed!.Value.State);
        var stored = await JobTestKit.GetAsync(fx.Services, job.Id);
        Assert.Equal("HTTP 503", stored.LastError);
        Assert.Null(stored.LockedBy);
        var wait = stored.RunAt - fx.Clock.GetUtcNow();
        Assert.InRange(wait.TotalSeconds, 8, 12);   // FastPolicy: 10 s ± 20 %
        Assert.Empty(await ClaimAsync("a/2"));
        fx.Clock.Advance(wait);
        Assert.Equal(2, Assert.Single(await ClaimAsync("a/3")).Attempts);
    }

    [Fact]
    public async Task Fail_OnLastAttempt_IsDead_AndPermanentFailureIsDeadAtOnce()
    {
        await ResetAsync();
        await EnqueueAsync(FlakyHandler.Type);
        for (var attempt = 1; attempt <= JobTestKit.FastPolicy.MaxAttempts; attempt++)
        {
            fx.Clock.Advance(TimeSpan.FromMinutes(2));
            var job = Assert.Single(await ClaimAsync($"a/{attempt}"));
            await using var db = NewDb();
            var r = await Store.FailAsync(db, job, $"a/{attempt}", JobResult.Retry(new string('x', 5000)), CancellationToken.None);
            Assert.Equal(attempt < JobTestKit.FastPolicy.MaxAttempts ? JobState.Pending : JobState.Dead, r!.Value.State);
        }
        var dead = Assert.Single(await ListAsync(JobState.Dead));
        Assert.Equal(Job.MaxErrorLength, dead.LastError!.Length);   // truncated
        fx.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Empty(await ClaimAsync("a/9"));   // dead stays dead

        await EnqueueAsync(PermanentFailureHandler.Type);
        var p = Assert.Single(await ClaimAsync("b/1"));
        await using (var db = NewDb())
            Assert.Equal(JobState.Dead, (await Store.FailAsync(db, p, "b/1", JobResult.Fail("bad payload"), CancellationToken.None))!.Value.State);
    }

    [Fact]
    public async Task LeaseExpired_AnotherRunnerReclaims_TheFirstCannotRecord()
    {
        await ResetAsync();
        await EnqueueAsync();
        var first = Assert.Single(await ClaimAsync("crashed/1"));
        fx.Clock.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.Empty(await ClaimAsync("b/1"));
        fx.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = Assert.Single(await ClaimAsync("b/2"));
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, second.Attempts);
        await using (var db = NewDb()) Assert.False(await Store.CompleteAsync(db, first, "crashed/1", CancellationToken.None));
        await using (var db = NewDb()) Assert.Null(await Store.FailAsync(db, first, "crashed/1", JobResult.Retry("late"), CancellationToken.None));
        await using (var db = NewDb()) Assert.True(await Store.CompleteAsync(db, second, "b/2", CancellationToken.None));
    }

    [Fact]
    public async Task Release_OnShutdown_DueAgainWithoutCountingTheAttempt()
    {
        await ResetAsync();
        await EnqueueAsync();
        var job = Assert.Single(await ClaimAsync("a/1"));
        await using (var db = NewDb()) Assert.True(await Store.ReleaseAsync(db, job, "a/1", CancellationToken.None));
        var again = Assert.Single(await ClaimAsync("b/1"));
        Assert.Equal(1, again.Attempts);
    }

    [Fact]
    public async Task Retry_DeadJob_DueNowWithFreshAttempts_SucceededIsRefused()
    {
        await ResetAsync();
        await EnqueueAsync(PermanentFailureHandler.Type);
        var job = Assert.Single(await ClaimAsync("a/1"));
        await using (var db = NewDb()) await Store.FailAsync(db, job, "a/1", JobResult.Fail("no"), CancellationToken.None);
        await using (var db = NewDb())
        {
            var r = await Store.RetryAsync(db, job.Id, CancellationToken.None);
            Assert.True(r.IsSuccess);
            Assert.Equal(JobState.Pending, r.Value.State);
            Assert.Equal(0, r.Value.Attempts);
        }
        var again = Assert.Single(await ClaimAsync("a/2"));
        await using (var db = NewDb()) await Store.CompleteAsync(db, again, "a/2", CancellationToken.None);
        await using (var db = NewDb())
        {
            Assert.Equal("job_succeeded", (await Store.RetryAsync(db, job.Id, CancellationToken.None)).Error!.Code);
            Assert.Equal(Paylink.Core.Common.ErrorKind.NotFound, (await Store.RetryAsync(db, 987654, CancellationToken.None)).Error!.Kind);
        }
    }

    [Fact]
    public async Task Dedupe_SameTypeAndKey_QueuedOnce()
    {
        await ResetAsync();
        await EnqueueAsync(dedupe: "order-1");
        await using var scope = fx.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var queue = scope.ServiceProvider.GetRequiredService<IJobQueue>();
        Assert.True(await queue.IsQueuedAsync(db, EffectHandler.Type, "order-1", CancellationToken.None));
        Assert.False(await queue.IsQueuedAsync(db, FlakyHandler.Type, "order-1", CancellationToken.None));
        queue.Enqueue(db, EffectHandler.Type, new TestPayload(2), dedupeKey: "order-1");
        var ex = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.True(AppDbContext.IsUniqueViolation(ex));
        db.ChangeTracker.Clear();
        queue.Enqueue(db, FlakyHandler.Type, new TestPayload(2), dedupeKey: "order-1");   // same key, other type: fine
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Enqueue_UnknownType_Throws()
    {
        await using var scope = fx.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Throws<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<IJobQueue>().Enqueue(db, "nope", 1));
    }

    [Fact]
    public async Task Enqueue_RolledBack_LeavesNoJob_CommittedRaisesSignal()
    {
        await ResetAsync();
        var signal = fx.Services.GetRequiredService<JobSignal>();
        await signal.WaitAsync(TimeSpan.Zero, fx.Clock, CancellationToken.None);   // drain an earlier raise
        await using (var scope = fx.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync();
            scope.ServiceProvider.GetRequiredService<IJobQueue>().Enqueue(db, EffectHandler.Type, new TestPayload(1));
            await db.SaveChangesAsync();
            Assert.False(WaitSignal(signal).IsCompleted);   // not before commit
            await tx.RollbackAsync();
        }
        Assert.Empty(await ListAsync(null));
        var wait = WaitSignal(signal);
        Assert.False(wait.IsCompleted);
        await EnqueueAsync();
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Periodic_EnsuredTwice_OneRecurringJob_RescheduledOnSuccess()
    {
        await ResetAsync();
        await using (var db = NewDb()) await Store.EnsurePeriodicAsync(db, CancellationToken.None);
        await using (var db = NewDb()) await Store.EnsurePeriodicAsync(db, CancellationToken.None);
        var periodic = (await ListAsync(null)).Where(j => j.Type == Paylink.Core.PaymentLinks.ExpirePaymentLinks.Name).ToList();
        var job = Assert.Single(periodic);
        Assert.Equal(60, job.RecurEverySeconds);
        var claimed = (await ClaimAsync("a/1", 100)).Single(j => j.Id == job.Id);
        await using (var db = NewDb()) Assert.True(await Store.CompleteAsync(db, claimed, "a/1", CancellationToken.None));
        var next = await JobTestKit.GetAsync(fx.Services, job.Id);
        Assert.Equal(JobState.Pending, next.State);
        Assert.Equal(fx.Clock.GetUtcNow().AddSeconds(60), next.RunAt);
        Assert.Equal(0, next.Attempts);
    }

    [Fact]
    public async Task Runner_Drain_RunsHandlers_RecordsFailuresAndDeadLetters()
    {
        await ResetAsync();
        var runner = fx.Services.GetRequiredService<JobRunner>();
        var log = fx.Services.GetRequiredService<TestJobLog>();
        var ok = await EnqueueAsync();
        var flaky = (await JobTestKit.EnqueueAsync(fx.Services, FlakyHandler.Type, 1, _ => new TestPayload(2))).Single();
        var never = (await JobTestKit.EnqueueAsync(fx.Services, FlakyHandler.Type, 1, _ => new TestPayload(99))).Single();
        await runner.DrainAsync();
        Assert.Equal(JobState.Succeeded, (await JobTestKit.GetAsync(fx.Services, ok)).State);
        var f = await JobTestKit.GetAsync(fx.Services, flaky);
        Assert.Equal(JobState.Pending, f.State);
        Assert.Equal("InvalidOperationException: boom on attempt 1", f.LastError);
        for (var i = 0; i < 3; i++)
        {
            fx.Clock.Advance(TimeSpan.FromMinutes(1));
            await runner.DrainAsync();
        }
        Assert.Equal(JobState.Succeeded, (await JobTestKit.GetAsync(fx.Services, flaky)).State);
        Assert.Equal(2, log.Runs[flaky]);
        var n = await JobTestKit.GetAsync(fx.Services, never);
        Assert.Equal(JobState.Dead, n.State);
        Assert.Equal(JobTestKit.FastPolicy.MaxAttempts, log.Runs[never]);
        Assert.Contains("boom on attempt 3", n.LastError);
    }

    private static Task WaitSignal(JobSignal signal) => signal.WaitAsync(TimeSpan.FromDays(1), TimeProvider.System, CancellationToken.None);

    private async Task<List<Job>> ListAsync(JobState? state)
    {
        await using var db = NewDb();
        return await Store.ListAsync(db, state, null, 1000, null, CancellationToken.None);
    }
}

public sealed class JobStoreSqliteTests(SqliteJobsDb fx) : JobStoreTests<SqliteJobsDb>(fx);
public sealed class JobStorePostgresTests(PostgresJobsDb fx) : JobStoreTests<PostgresJobsDb>(fx);
