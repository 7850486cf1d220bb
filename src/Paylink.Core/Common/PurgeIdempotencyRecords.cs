using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Paylink.Core.Data;
using Paylink.Core.Jobs;

namespace Paylink.Core.Common;

/// <summary>
/// Periodic task <c>idempotency.purge</c>: deletes stored Idempotency-Key answers older than
/// <see cref="JobsOptions.IdempotencyRetention"/> (24 h by default, like Stripe's). A client retrying
/// with the same key after that creates a new resource, so clients must not retry for longer.
/// </summary>
public sealed class PurgeIdempotencyRecords(AppDbContext db, IOptions<JobsOptions> options, TimeProvider clock) : IPeriodicTask
{
    public const string Name = "idempotency.purge";

    public async Task RunAsync(CancellationToken ct)
    {
        var before = clock.GetUtcNow() - options.Value.IdempotencyRetention;
        await db.IdempotencyRecords.IgnoreQueryFilters().Where(r => r.CreatedAt < before).ExecuteDeleteAsync(ct);
    }
}
