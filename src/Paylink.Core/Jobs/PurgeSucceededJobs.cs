using Microsoft.Extensions.Options;
using Paylink.Core.Data;

namespace Paylink.Core.Jobs;

/// <summary>Periodic task <c>jobs.purge</c>: deletes succeeded jobs older than <see cref="JobsOptions.SucceededRetention"/>.
/// Dead jobs stay until someone retries them. Batched (<see cref="JobsOptions.PurgeBatchSize"/>), so the claim query's
/// index and the table stay the size of a week of work however long the install runs.</summary>
public sealed class PurgeSucceededJobs(AppDbContext db, JobStore store, IOptions<JobsOptions> options, TimeProvider clock) : IPeriodicTask
{
    public const string Name = "jobs.purge";

    public Task RunAsync(CancellationToken ct) =>
        store.PurgeSucceededAsync(db, clock.GetUtcNow() - options.Value.SucceededRetention, ct, options.Value.PurgeBatchSize);
}
