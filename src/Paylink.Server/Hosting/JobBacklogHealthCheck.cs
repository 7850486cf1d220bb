using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Paylink.Core.Data;
using Paylink.Core.Jobs;

namespace Paylink.Server.Hosting;

/// <summary>Readiness: unhealthy when the oldest due job has waited longer than <c>Jobs:BacklogUnhealthyAfter</c>
/// (the runners are stuck or far behind); reports due and dead counts.</summary>
public sealed class JobBacklogHealthCheck(AppDbContext db, JobStore store, IOptions<JobsOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        JobStats stats;
        try { stats = await store.StatsAsync(db, cancellationToken); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("job table unreadable: " + ex.GetType().Name);
        }
        var data = new Dictionary<string, object> { ["due"] = stats.Due, ["running"] = stats.Running, ["dead"] = stats.Dead };
        if (stats.OldestDueAge is { } age) data["oldestDueSeconds"] = Math.Round(age.TotalSeconds, 1);
        var limit = options.Value.BacklogUnhealthyAfter;
        return stats.OldestDueAge > limit
            ? HealthCheckResult.Unhealthy($"the oldest due job has waited {stats.OldestDueAge:c} (limit {limit:c})", data: data)
            : HealthCheckResult.Healthy($"{stats.Due} due, {stats.Dead} dead", data);
    }
}
