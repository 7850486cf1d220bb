using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Data;

namespace Paylink.Core.Jobs;

/// <summary>Adds jobs to a unit of work. Nothing is written until the caller's SaveChanges, which commits
/// the job together with the change that caused it (outbox).</summary>
public interface IJobQueue
{
    /// <summary>
    /// Adds a job of a registered <paramref name="type"/> to <paramref name="db"/> (not saved). With a
    /// <paramref name="dedupeKey"/>, a second job of the same type and key is refused by a unique index:
    /// the caller's SaveChanges then fails with a unique violation — check <see cref="IsQueuedAsync"/>
    /// first where a duplicate is expected rather than a race.
    /// </summary>
    Job Enqueue<T>(AppDbContext db, string type, T payload, DateTimeOffset? runAt = null, string? dedupeKey = null);

    /// <summary>True when a job of this type and dedupe key exists (any state) or is being added to <paramref name="db"/>.</summary>
    Task<bool> IsQueuedAsync(AppDbContext db, string type, string dedupeKey, CancellationToken ct);
}

public sealed class JobQueue(JobRegistry registry, TimeProvider clock) : IJobQueue
{
    public Job Enqueue<T>(AppDbContext db, string type, T payload, DateTimeOffset? runAt = null, string? dedupeKey = null)
    {
        if (!registry.TryGet(type, out var registration))
            throw new InvalidOperationException($"No handler is registered for job type '{type}'.");
        var now = clock.GetUtcNow();
        var job = Job.Create(type, JobContext.Write(payload), now, runAt ?? now, registration.Policy.MaxAttempts, dedupeKey,
            traceParent: Activity.Current?.Id);
        db.Jobs.Add(job);
        return job;
    }

    public async Task<bool> IsQueuedAsync(AppDbContext db, string type, string dedupeKey, CancellationToken ct) =>
        db.ChangeTracker.Entries<Job>().Any(e => e.State == EntityState.Added && e.Entity.Type == type && e.Entity.DedupeKey == dedupeKey)
        || await db.Jobs.AnyAsync(j => j.Type == type && j.DedupeKey == dedupeKey, ct);
}
