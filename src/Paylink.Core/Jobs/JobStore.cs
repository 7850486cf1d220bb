using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Core.Jobs;

public sealed record JobStats(int Pending, int Due, int Running, int Succeeded, int Dead, TimeSpan? OldestDueAge,
    IReadOnlyList<JobTypeStats> ByType);

public sealed record JobTypeStats(string Type, JobState State, int Count);

/// <summary>
/// The job table's state transitions, each one statement. Claims are atomic: on PostgreSQL
/// <c>FOR UPDATE SKIP LOCKED</c> lets several instances claim disjoint rows without waiting on each other;
/// on SQLite the single writer makes the claiming UPDATE atomic. Completion and failure are conditional
/// on the claim token, so a runner whose lease ran out (and whose job another runner took over) cannot
/// overwrite the newer outcome.
/// </summary>
public sealed class JobStore(JobRegistry registry, TimeProvider clock)
{
    public const string PeriodicKey = "periodic";
    private static readonly TimeSpan RecoveryInterval = TimeSpan.FromSeconds(1);
    private DateTimeOffset _nextRecovery = DateTimeOffset.MinValue;

    /// <summary>
    /// Claims up to <paramref name="max"/> due pending jobs for <paramref name="token"/>, earliest due first.
    /// Each claim counts as an attempt. Running jobs whose lease ran out are first put back to pending
    /// (<see cref="RecoverExpiredAsync"/>, at most once a second per instance), so the claim itself is a
    /// plain range scan of the (State, RunAt) index.
    /// </summary>
    public async Task<List<Job>> ClaimAsync(AppDbContext db, string token, int max, TimeSpan lease, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (now >= _nextRecovery)
        {
            _nextRecovery = now + RecoveryInterval;
            await RecoverExpiredAsync(db, ct);
        }
        var until = now + lease;
        var lockClause = db.IsSqlite ? "" : "FOR UPDATE SKIP LOCKED";
        var sql = $"""
            UPDATE "Jobs" SET "State" = 'Running', "LockedBy" = {"{0}"}, "LockedUntil" = {"{1}"}, "StartedAt" = {"{2}"}, "Attempts" = "Attempts" + 1
            WHERE "Id" IN (
                SELECT "Id" FROM "Jobs"
                WHERE "State" = 'Pending' AND "RunAt" <= {"{2}"}
                ORDER BY "RunAt"
                LIMIT {"{3}"}
                {lockClause})
            RETURNING *
            """;
        return await db.Jobs.FromSqlRaw(sql, token, db.DbTime(until), db.DbTime(now), max).AsNoTracking().ToListAsync(ct);
    }

    /// <summary>Puts running jobs whose lease has ended back to pending, due at once (their holder is presumed
    /// dead; the attempt stays counted). Conditional, so two instances recovering at once do it once.</summary>
    public Task<int> RecoverExpiredAsync(AppDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.Jobs.Where(j => j.State == JobState.Running && j.LockedUntil <= now).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.State, JobState.Pending).SetProperty(j => j.RunAt, now)
            .SetProperty(j => j.LockedBy, (string?)null).SetProperty(j => j.LockedUntil, (DateTimeOffset?)null), ct);
    }

    /// <summary>Extends the lease of every job still running under a claim of <paramref name="instance"/>
    /// (claim tokens are <c>{instance}/{batch}</c>): the heartbeat that lets a short lease find a dead holder
    /// quickly while a live one keeps its long-running handlers. Jobs taken over by another instance carry
    /// that instance's token and are not touched.</summary>
    public Task<int> RenewAsync(AppDbContext db, string instance, TimeSpan lease, CancellationToken ct)
    {
        var until = clock.GetUtcNow() + lease;
        var prefix = instance + "/";
        return db.Jobs.Where(j => j.State == JobState.Running && j.LockedBy != null && j.LockedBy.StartsWith(prefix))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LockedUntil, until), ct);
    }

    /// <summary>Claims one pending job now, due or not (to run it right away); null when it is not pending.</summary>
    public async Task<Job?> ClaimByIdAsync(AppDbContext db, long id, string token, TimeSpan lease, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var rows = await db.Jobs.Where(j => j.Id == id && j.State == JobState.Pending).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.State, JobState.Running).SetProperty(j => j.LockedBy, token).SetProperty(j => j.LockedUntil, now + lease)
            .SetProperty(j => j.StartedAt, now).SetProperty(j => j.Attempts, j => j.Attempts + 1), ct);
        return rows == 1 ? await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == id, ct) : null;
    }

    /// <summary>Records success (a recurring job is rescheduled). False when the claim was lost.</summary>
    public async Task<bool> CompleteAsync(AppDbContext db, Job job, string token, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var q = Claimed(db, job, token);
        if (job.RecurEverySeconds is { } every)
            return await q.ExecuteUpdateAsync(s => s
                .SetProperty(j => j.State, JobState.Pending).SetProperty(j => j.RunAt, now.AddSeconds(every))
                .SetProperty(j => j.Attempts, 0).SetProperty(j => j.LastError, (string?)null).SetProperty(j => j.CompletedAt, now)
                .SetProperty(j => j.LockedBy, (string?)null).SetProperty(j => j.LockedUntil, (DateTimeOffset?)null), ct) == 1;
        return await q.ExecuteUpdateAsync(s => s
            .SetProperty(j => j.State, JobState.Succeeded).SetProperty(j => j.CompletedAt, now)
            .SetProperty(j => j.LockedBy, (string?)null).SetProperty(j => j.LockedUntil, (DateTimeOffset?)null), ct) == 1;
    }

    /// <summary>Records success of several one-off (not recurring) jobs claimed under one token in one
    /// statement. Returns how many were still held (the rest lost their lease).</summary>
    public async Task<int> CompleteManyAsync(AppDbContext db, IReadOnlyCollection<long> ids, string token, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return await db.Jobs.Where(j => ids.Contains(j.Id) && j.LockedBy == token && j.State == JobState.Running && j.RecurEverySeconds == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.State, JobState.Succeeded).SetProperty(j => j.CompletedAt, now)
                .SetProperty(j => j.LockedBy, (string?)null).SetProperty(j => j.LockedUntil, (DateTimeOffset?)null), ct);
    }

    /// <summary>
    /// Records a failed attempt: pending again after the policy's backoff (or the handler's Retry-After),
    /// or dead when attempts are used up or the failure is permanent. Returns the new state, or null when
    /// the claim was lost.
    /// </summary>
    public async Task<(JobState State, DateTimeOffset? NextAttemptAt)?> FailAsync(AppDbContext db, Job job, string token, JobResult result,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var error = Job.Truncate(result.Error ?? "failed");
        var policy = registry.PolicyFor(job.Type);
        var recurring = job.RecurEverySeconds is not null;
        var dead = !recurring && (result.Outcome == JobOutcome.Fail || job.Attempts >= job.MaxAttempts);
        var q = Claimed(db, job, token);
        if (dead)
        {
            var n = await q.ExecuteUpdateAsync(s => s
                .SetProperty(j => j.State, JobState.Dead).SetProperty(j => j.LastError, error).SetProperty(j => j.CompletedAt, now)
                .SetProperty(j => j.LockedBy, (string?)null).SetProperty(j => j.LockedUntil, (DateTimeOffset?)null), ct);
            return n == 1 ? (JobState.Dead, null) : null;
        }
        var delay = result.RetryAfter is { } ra && ra > TimeSpan.Zero ? Min(ra, policy.Cap) : policy.DelayAfter(job.Attempts, Random.Shared.NextDouble());
        var next = now + delay;
        var rows = await q.ExecuteUpdateAsync(s => s
            .SetProperty(j => j.State, JobState.Pending).SetProperty(j => j.RunAt, next).SetProperty(j => j.LastError, error)
            .SetProperty(j => j.LockedBy, (string?)null).SetProperty(j => j.LockedUntil, (DateTimeOffset?)null), ct);
        return rows == 1 ? (JobState.Pending, next) : null;
    }

    /// <summary>Hands a claimed job back untouched (shutdown): due at once, the attempt not counted.</summary>
    public async Task<bool> ReleaseAsync(AppDbContext db, Job job, string token, CancellationToken ct) =>
        await Claimed(db, job, token).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.State, JobState.Pending).SetProperty(j => j.Attempts, j => j.Attempts - 1)
            .SetProperty(j => j.LockedBy, (string?)null).SetProperty(j => j.LockedUntil, (DateTimeOffset?)null), ct) == 1;

    /// <summary>Makes a dead (or pending) job due now with fresh attempts.</summary>
    public async Task<Result<Job>> RetryAsync(AppDbContext db, long id, CancellationToken ct)
    {
        var job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == id, ct);
        if (job is null) return Error.NotFound($"Job {id}");
        var r = job.Retry(clock.GetUtcNow());
        if (!r.IsSuccess) return r.Error!;
        await db.SaveChangesAsync(ct);
        return job;
    }

    /// <summary>Makes sure every registered periodic task has its recurring job (one per name, whatever the
    /// number of instances: the dedupe key's unique index decides), with the configured interval.</summary>
    public async Task EnsurePeriodicAsync(AppDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var p in registry.Periodic)
        {
            var every = (int)Math.Max(1, p.RecurEvery!.Value.TotalSeconds);
            var existing = await db.Jobs.AsNoTracking().Where(j => j.Type == p.Type && j.DedupeKey == PeriodicKey)
                .Select(j => new { j.Id, j.RecurEverySeconds }).FirstOrDefaultAsync(ct);
            if (existing is null)
            {
                db.Jobs.Add(Job.Create(p.Type, "{}", now, now, p.Policy.MaxAttempts, PeriodicKey, every));
                try { await db.SaveChangesAsync(ct); }
                catch (DbUpdateException ex) when (AppDbContext.IsUniqueViolation(ex)) { /* another instance created it */ }
                db.ChangeTracker.Clear();
            }
            else if (existing.RecurEverySeconds != every)
            {
                await db.Jobs.Where(j => j.Id == existing.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.RecurEverySeconds, every), ct);
            }
        }
    }

    public async Task<JobStats> StatsAsync(AppDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var byType = (await db.Jobs.AsNoTracking().GroupBy(j => new { j.Type, j.State })
            .Select(g => new { g.Key.Type, g.Key.State, Count = g.Count() }).ToListAsync(ct))
            .Select(x => new JobTypeStats(x.Type, x.State, x.Count)).OrderBy(x => x.Type, StringComparer.Ordinal).ThenBy(x => x.State).ToList();
        var due = db.Jobs.AsNoTracking().Where(j => j.State == JobState.Pending && j.RunAt <= now);
        var dueCount = await due.CountAsync(ct);
        var oldest = dueCount == 0 ? (DateTimeOffset?)null : await due.OrderBy(j => j.RunAt).Select(j => (DateTimeOffset?)j.RunAt).FirstOrDefaultAsync(ct);
        int Sum(JobState s) => byType.Where(x => x.State == s).Sum(x => x.Count);
        return new JobStats(Sum(JobState.Pending), dueCount, Sum(JobState.Running), Sum(JobState.Succeeded), Sum(JobState.Dead),
            oldest is null ? null : now - oldest.Value, byType);
    }

    /// <summary>Newest first; keyset paging on id.</summary>
    public Task<List<Job>> ListAsync(AppDbContext db, JobState? state, string? type, int limit, long? beforeId, CancellationToken ct)
    {
        var q = db.Jobs.AsNoTracking();
        if (state is { } s) q = q.Where(j => j.State == s);
        if (type is not null) q = q.Where(j => j.Type == type);
        if (beforeId is { } b) q = q.Where(j => j.Id < b);
        return q.OrderByDescending(j => j.Id).Take(limit).ToListAsync(ct);
    }

    /// <summary>
    /// Deletes succeeded jobs completed before <paramref name="before"/> (periodic jobs are never succeeded), in
    /// batches of <paramref name="batchSize"/> rows, each its own statement (and transaction), until none is left.
    /// The inner SELECT walks the partial index of succeeded jobs by completion time, so a batch costs its rows,
    /// not the table. Returns the number deleted.
    /// </summary>
    public async Task<int> PurgeSucceededAsync(AppDbContext db, DateTimeOffset before, CancellationToken ct, int batchSize = 5000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        const string sql = """
            DELETE FROM "Jobs" WHERE "Id" IN (
                SELECT "Id" FROM "Jobs" WHERE "State" = 'Succeeded' AND "CompletedAt" < {0} ORDER BY "CompletedAt" LIMIT {1})
            """;
        var total = 0;
        while (true)
        {
            var n = await db.Database.ExecuteSqlRawAsync(sql, [db.DbTime(before), batchSize], ct);
            total += n;
            if (n < batchSize) return total;
        }
    }

    private static IQueryable<Job> Claimed(AppDbContext db, Job job, string token) =>
        db.Jobs.Where(j => j.Id == job.Id && j.LockedBy == token && j.State == JobState.Running);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
