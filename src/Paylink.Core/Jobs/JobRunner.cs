using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Core.Jobs;

/// <summary>
/// Claims due jobs and runs their handlers, up to <see cref="JobsOptions.Concurrency"/> at once. Wakes on
/// <see cref="JobSignal"/> or every <see cref="JobsOptions.PollInterval"/>. Database failures are logged,
/// counted and retried with a growing pause (up to 30 s): the loop never dies of them. On stop, jobs
/// still running are cancelled and handed back (due at once, attempt not counted); a crash instead leaves
/// them to the lease. While it holds claims, a heartbeat renews their leases every
/// <see cref="JobsOptions.HeartbeatInterval"/>, so the lease can be short (a dead holder's jobs run again
/// within seconds) and still outlive long handlers.
/// </summary>
public sealed class JobRunner(IServiceScopeFactory scopes, Func<AppDbContext> dbFactory, JobRegistry registry, JobStore store,
    JobSignal signal, JobMetrics metrics, IOptions<JobsOptions> options, TimeProvider clock, ILogger<JobRunner> log) : IDisposable
{
    private static readonly TimeSpan StatsEvery = TimeSpan.FromSeconds(5);
    private readonly Channel<Completion> _completions = Channel.CreateUnbounded<Completion>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _flusherLock = new();
    private Task? _flusher;
    private long _batch;
    private int _held;
    private int _renewing;
    private ITimer? _heartbeat;

    private sealed record Completion(Job Job, string Token, TaskCompletionSource<bool> Done);

    public string InstanceId { get; } =
        $"{options.Value.InstanceName ?? Environment.MachineName}/{Environment.ProcessId}/{Ids.NewSecret(3)}";

    public async Task RunAsync(CancellationToken stopping)
    {
        var o = options.Value;
        log.LogInformation("Job runner {Instance} started: concurrency {Concurrency}, poll {Poll}", InstanceId, o.Concurrency, o.PollInterval);
        var prepared = false;
        var stats = SampleStatsAsync(stopping);
        var running = new HashSet<Task>();
        var recordings = new HashSet<Task>();
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            running.RemoveWhere(t => t.IsCompleted);
            lock (recordings) recordings.RemoveWhere(t => t.IsCompleted);
            var free = o.Concurrency - running.Count;
            // Claim in batches: wait until half the slots are free rather than claiming one job at a time.
            if (running.Count > 0 && free < Math.Max(1, o.Concurrency / 2))
            {
                await Task.WhenAny(running);
                continue;
            }
            var token = $"{InstanceId}/{Interlocked.Increment(ref _batch)}";
            List<Job> claimed;
            try
            {
                await using var db = dbFactory();
                if (!prepared)
                {
                    // Periodic tasks get their recurring job (once per name across instances).
                    await store.EnsurePeriodicAsync(db, stopping);
                    prepared = true;
                }
                claimed = await store.ClaimAsync(db, token, free, o.LeaseDuration, stopping);
                failures = 0;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                metrics.RunnerError("claim");
                var pause = TimeSpan.FromMilliseconds(Math.Min(30_000, 100 * Math.Pow(2, Math.Min(failures, 10))));
                log.LogError(ex, "Job runner {Instance} cannot claim jobs (failure {Failures}); retrying in {Pause}", InstanceId, failures, pause);
                await DelayAsync(pause, stopping);
                continue;
            }
            foreach (var job in claimed) running.Add(ExecuteAsync(job, token, stopping, recordings));
            if (claimed.Count < free) await IdleAsync(o.PollInterval, stopping);
        }
        await Task.WhenAll(running);
        Task[] pending;
        lock (recordings) pending = [.. recordings];
        await Task.WhenAll(pending);
        await stats;
        log.LogInformation("Job runner {Instance} stopped", InstanceId);
    }

    /// <summary>Claims and runs every job due now, one batch after another, until none is left; for tests
    /// and tools that drive time themselves. Returns how many attempts ran.</summary>
    public async Task<int> DrainAsync(CancellationToken ct = default)
    {
        var total = 0;
        while (true)
        {
            var token = $"{InstanceId}/{Interlocked.Increment(ref _batch)}";
            List<Job> claimed;
            await using (var db = dbFactory())
                claimed = await store.ClaimAsync(db, token, options.Value.Concurrency, options.Value.LeaseDuration, ct);
            if (claimed.Count == 0) return total;
            await Task.WhenAll(claimed.Select(j => ExecuteAsync(j, token, ct)));
            total += claimed.Count;
        }
    }

    /// <summary>
    /// Runs one pending job at once, in the caller's flow, through the same claim and bookkeeping as the
    /// runner (attempt counted, failure scheduled per policy). Used to try work right after committing it
    /// ("deliver now, retry later"). False when the job was not pending (another runner has it).
    /// </summary>
    public async Task<bool> RunNowAsync(long jobId, CancellationToken ct)
    {
        var token = $"{InstanceId}/now{Interlocked.Increment(ref _batch)}";
        Job? job;
        await using (var db = dbFactory())
            job = await store.ClaimByIdAsync(db, jobId, token, options.Value.LeaseDuration, ct);
        if (job is null) return false;
        await ExecuteAsync(job, token, ct);
        return true;
    }

    private async Task SampleStatsAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var db = dbFactory();
                metrics.Sampled(await store.StatsAsync(db, stopping));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested) { return; }
            catch (Exception ex)
            {
                metrics.RunnerError("stats");
                log.LogWarning("Job statistics unavailable: {Error}", ex.Message);
            }
            await DelayAsync(StatsEvery, stopping);
        }
    }

    /// <summary>Runs one claimed job and records its outcome. With <paramref name="recordings"/>, the slot is
    /// freed as soon as the handler returns and the (batched) recording goes on in the background, tracked there.</summary>
    private async Task ExecuteAsync(Job job, string token, CancellationToken stopping, HashSet<Task>? recordings = null)
    {
        Hold();
        await Task.Yield();
        var started = clock.GetTimestamp();
        var parent = ActivityContext.TryParse(job.TraceParent, null, out var pc) ? pc : default;
        using var activity = JobMetrics.Source.StartActivity($"job {job.Type}", ActivityKind.Consumer, parent);
        activity?.SetTag("job.id", job.Id);
        activity?.SetTag("job.type", job.Type);
        activity?.SetTag("job.attempt", job.Attempts);
        metrics.Started(job.Type, job.Attempts == 1 && job.StartedAt is { } s ? s - job.RunAt : null);

        JobResult result;
        if (job.RecurEverySeconds is null && job.Attempts > job.MaxAttempts)
            result = JobResult.Fail($"Lease expired during the last allowed attempt ({job.MaxAttempts}); the runner holding it stopped.");
        else if (!registry.TryGet(job.Type, out var registration))
            result = JobResult.Retry($"No handler is registered for job type '{job.Type}' on instance {InstanceId}.");
        else
        {
            var timeout = registration.Timeout ?? options.Value.HandlerTimeout;
            using var timeoutCts = new CancellationTokenSource(timeout, clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeoutCts.Token);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var handler = (IJobHandler)scope.ServiceProvider.GetRequiredService(registration.HandlerType);
                result = await handler.HandleAsync(new JobContext(job.Id, job.Type, job.Payload, job.Attempts, job.MaxAttempts, job.CreatedAt), linked.Token);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                await RecordAsync("release", job, () => Release(job, token));
                Unhold();
                metrics.Finished(job.Type, "released", clock.GetElapsedTime(started));
                return;
            }
            catch (OperationCanceledException) when (timeoutCts.IsCancellationRequested)
            {
                result = JobResult.Retry($"Timed out after {timeout}.");
            }
            catch (Exception ex)
            {
                log.LogWarning(ex, "Job {JobId} ({Type}) attempt {Attempt} threw", job.Id, job.Type, job.Attempts);
                result = JobResult.Retry($"{ex.GetType().Name}: {ex.Message}");
            }
        }

        if (result.Outcome != JobOutcome.Done) activity?.SetStatus(ActivityStatusCode.Error, result.Error);
        var record = RecordOutcomeAsync(job, token, result, started);
        if (recordings is null) await record;
        else lock (recordings) recordings.Add(record);
    }

    private async Task RecordOutcomeAsync(Job job, string token, JobResult result, long started)
    {
        string outcome;
        try { outcome = await RecordAsync("complete", job, () => Finish(job, token, result)); }
        finally { Unhold(); }
        metrics.Finished(job.Type, outcome, clock.GetElapsedTime(started));
    }

    /// <summary>Counts a claim this instance holds from its start to its recorded outcome; the first one
    /// starts the heartbeat timer (it stays, idle and query-free, while nothing is held).</summary>
    private void Hold()
    {
        Interlocked.Increment(ref _held);
        if (Volatile.Read(ref _heartbeat) is not null) return;
        var every = options.Value.HeartbeatInterval;
        lock (_flusherLock) _heartbeat ??= clock.CreateTimer(_ => _ = HeartbeatAsync(), null, every, every);
    }

    private void Unhold() => Interlocked.Decrement(ref _held);

    /// <summary>Renews the leases of every job this instance is running (one UPDATE); skipped while nothing
    /// is held or the previous renewal is still under way. A failed renewal is logged: the next one, a third
    /// of a lease later, tries again before any lease can run out.</summary>
    private async Task HeartbeatAsync()
    {
        if (Volatile.Read(ref _held) <= 0 || Interlocked.Exchange(ref _renewing, 1) == 1) return;
        try
        {
            await using var db = dbFactory();
            await store.RenewAsync(db, InstanceId, options.Value.LeaseDuration, CancellationToken.None);
        }
        catch (Exception ex)
        {
            metrics.RunnerError("heartbeat");
            log.LogWarning("Job runner {Instance} could not renew its leases: {Error}", InstanceId, ex.Message);
        }
        finally { Volatile.Write(ref _renewing, 0); }
    }

    public void Dispose() => _heartbeat?.Dispose();

    private async Task<string> Finish(Job job, string token, JobResult result)
    {
        if (result.Outcome == JobOutcome.Done && job.RecurEverySeconds is null)
        {
            // Successes are written in batches by one flusher: one UPDATE for all that finished meanwhile.
            try
            {
                if (await CompleteBatchedAsync(job, token)) return "succeeded";
            }
            catch (Exception ex)
            {
                log.LogWarning("Batched completion of job {JobId} failed ({Error}); recording it alone", job.Id, ex.Message);
            }
        }
        await using var db = dbFactory();
        if (result.Outcome == JobOutcome.Done)
        {
            if (await store.CompleteAsync(db, job, token, CancellationToken.None)) return "succeeded";
        }
        else
        {
            var failed = await store.FailAsync(db, job, token, result, CancellationToken.None);
            if (failed is { } f)
            {
                if (f.State == JobState.Dead)
                    log.LogError("Job {JobId} ({Type}) is dead after {Attempts} attempt(s): {Error}", job.Id, job.Type, job.Attempts, result.Error);
                else
                    log.LogWarning("Job {JobId} ({Type}) attempt {Attempt} failed, next at {NextAttemptAt:O}: {Error}",
                        job.Id, job.Type, job.Attempts, f.NextAttemptAt, result.Error);
                return f.State == JobState.Dead ? "dead" : "retry";
            }
        }
        log.LogWarning("Job {JobId} ({Type}): the claim was lost (lease expired and taken over); outcome not recorded", job.Id, job.Type);
        return "lost";
    }

    private Task<bool> CompleteBatchedAsync(Job job, string token)
    {
        lock (_flusherLock) _flusher ??= Task.Run(FlushCompletionsAsync);
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _completions.Writer.TryWrite(new Completion(job, token, done));
        return done.Task;
    }

    /// <summary>Lives as long as the runner object: waits for completions, writes all that are waiting.</summary>
    private async Task FlushCompletionsAsync()
    {
        var batch = new List<Completion>();
        while (await _completions.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < 500 && _completions.Reader.TryRead(out var c)) batch.Add(c);
            foreach (var group in batch.GroupBy(c => c.Token))
            {
                var items = group.ToList();
                try
                {
                    await using var db = dbFactory();
                    var held = await store.CompleteManyAsync(db, items.Select(c => c.Job.Id).ToList(), group.Key, CancellationToken.None);
                    // All still held: done. Otherwise some lease was lost: let each be recorded alone to tell which.
                    foreach (var c in items)
                        if (held == items.Count) c.Done.TrySetResult(true);
                        else c.Done.TrySetException(new InvalidOperationException("A claim in the batch was lost."));
                }
                catch (Exception ex)
                {
                    metrics.RunnerError("complete");
                    foreach (var c in items) c.Done.TrySetException(ex);
                }
            }
        }
    }

    private async Task<string> Release(Job job, string token)
    {
        await using var db = dbFactory();
        return await store.ReleaseAsync(db, job, token, CancellationToken.None) ? "released" : "lost";
    }

    /// <summary>Records an outcome, retrying briefly through a database hiccup; if it still fails, the lease
    /// brings the job back later (at least once, never lost).</summary>
    private async Task<string> RecordAsync(string stage, Job job, Func<Task<string>> write)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { return await write(); }
            catch (Exception ex) when (attempt < 3)
            {
                metrics.RunnerError(stage);
                log.LogWarning("Recording job {JobId} outcome failed (try {Try}): {Error}", job.Id, attempt, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), clock, CancellationToken.None);
            }
            catch (Exception ex)
            {
                metrics.RunnerError(stage);
                log.LogError(ex, "Recording job {JobId} outcome failed; it runs again when its lease ends", job.Id);
                return "unrecorded";
            }
        }
    }

    private async Task IdleAsync(TimeSpan poll, CancellationToken stopping)
    {
        try { await signal.WaitAsync(poll, clock, stopping); }
        catch (OperationCanceledException) { }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken stopping)
    {
        try { await Task.Delay(delay, clock, stopping); }
        catch (OperationCanceledException) { }
    }
}
