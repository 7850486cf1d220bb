using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Jobs;

/// <summary>What the test handlers saw: runs per job id, and a gate blocking handlers until released.</summary>
public sealed class TestJobLog
{
    public ConcurrentDictionary<long, int> Runs { get; } = new();
    public TaskCompletionSource Gate { get; set; } = NewGate(released: true);
    public ConcurrentQueue<long> Started { get; } = new();

    public static TaskCompletionSource NewGate(bool released)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (released) tcs.SetResult();
        return tcs;
    }
}

public sealed record TestPayload(int N);

/// <summary><c>test.effect</c>: records its job id in TestEffects (insert-if-absent: idempotent in effect)
/// and counts runs in memory.</summary>
public sealed class EffectHandler(AppDbContext db, TestJobLog log) : IJobHandler
{
    public const string Type = "test.effect";

    public async Task<JobResult> HandleAsync(JobContext job, CancellationToken ct)
    {
        log.Started.Enqueue(job.Id);
        await log.Gate.Task.WaitAsync(ct);
        await db.Database.ExecuteSqlRawAsync("""INSERT INTO "TestEffects" ("JobId") VALUES ({0}) ON CONFLICT DO NOTHING""", [job.Id], ct);
        log.Runs.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
        return JobResult.Done;
    }
}

/// <summary><c>test.flaky</c>: throws until its attempt reaches the payload's N.</summary>
public sealed class FlakyHandler(TestJobLog log) : IJobHandler
{
    public const string Type = "test.flaky";

    public Task<JobResult> HandleAsync(JobContext job, CancellationToken ct)
    {
        log.Runs.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
        if (job.Attempt < job.Read<TestPayload>().N) throw new InvalidOperationException($"boom on attempt {job.Attempt}");
        return Task.FromResult(JobResult.Done);
    }
}

/// <summary><c>test.permanent</c>: fails for good.</summary>
public sealed class PermanentFailureHandler : IJobHandler
{
    public const string Type = "test.permanent";
    public Task<JobResult> HandleAsync(JobContext job, CancellationToken ct) => Task.FromResult(JobResult.Fail("not retryable"));
}

public static class JobTestKit
{
    public static readonly JobRetryPolicy FastPolicy = new(3, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1));

    public static void AddTestHandlers(IServiceCollection s)
    {
        s.TryAddSingleton<TestJobLog>();
        s.AddJobHandler<EffectHandler>(EffectHandler.Type);
        s.AddJobHandler<FlakyHandler>(FlakyHandler.Type, FastPolicy);
        s.AddJobHandler<PermanentFailureHandler>(PermanentFailureHandler.Type, FastPolicy);
    }

    public static async Task CreateEffectsTableAsync(TestDatabase database)
    {
        await using var sp = database.BuildServices();
        await using var scope = sp.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database
            .ExecuteSqlRawAsync("""CREATE TABLE IF NOT EXISTS "TestEffects" ("JobId" bigint PRIMARY KEY)""");
    }

    /// <summary>Adds <paramref name="count"/> jobs in batches (one SaveChanges per batch) and returns their ids.</summary>
    public static async Task<List<long>> EnqueueAsync(IServiceProvider sp, string type, int count, Func<int, object>? payload = null,
        DateTimeOffset? runAt = null)
    {
        var ids = new List<long>(count);
        for (var start = 0; start < count; start += 500)
        {
            await using var scope = sp.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var queue = scope.ServiceProvider.GetRequiredService<IJobQueue>();
            var batch = Enumerable.Range(start, Math.Min(500, count - start))
                .Select(i => queue.Enqueue(db, type, payload?.Invoke(i) ?? new TestPayload(i), runAt)).ToList();
            await db.SaveChangesAsync();
            ids.AddRange(batch.Select(j => j.Id));
        }
        return ids;
    }

    public static async Task<Job> GetAsync(IServiceProvider sp, long id)
    {
        await using var scope = sp.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Jobs.AsNoTracking().SingleAsync(j => j.Id == id);
    }

    public static async Task<int> CountEffectsAsync(IServiceProvider sp)
    {
        await using var scope = sp.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Database.SqlQueryRaw<int>("""SELECT COUNT(*) AS "Value" FROM "TestEffects" """).SingleAsync();
    }

    /// <summary>Polls a condition with a real-time bound: for tests where real concurrency runs.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var until = TimeProvider.System.GetTimestamp();
        while (!await condition())
        {
            if (TimeProvider.System.GetElapsedTime(until) > timeout) throw new TimeoutException($"Timed out after {timeout} waiting for {what}.");
            await Task.Delay(20);
        }
    }
}
