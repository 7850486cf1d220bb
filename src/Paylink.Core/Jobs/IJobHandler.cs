using System.Text.Json;

namespace Paylink.Core.Jobs;

/// <summary>
/// Runs one job type. Resolved from a fresh DI scope per job (its own <c>AppDbContext</c>).
/// <para><b>Contract.</b> Delivery is at least once: a crash between the handler's effect and the runner
/// recording success (or a lease that runs out while the handler is still busy) runs the job again,
/// possibly on another instance. Handlers must therefore be idempotent <i>in effect</i>: check-then-act
/// with a conditional update or a unique key (e.g. a delivery row whose status is checked first, a
/// unique index on the effect), or use an idempotency key at the remote side derived from the job's id.</para>
/// <para>Return <see cref="JobResult.Done"/> on success, <see cref="JobResult.Retry"/> for a transient
/// failure (any exception counts as one), <see cref="JobResult.Fail"/> when retrying cannot help. The
/// <paramref name="ct"/> fires on shutdown and on the handler timeout; the job is then handed back.</para>
/// </summary>
public interface IJobHandler
{
    Task<JobResult> HandleAsync(JobContext job, CancellationToken ct);
}

/// <summary>What a handler sees of its job.</summary>
public sealed record JobContext(long Id, string Type, string Payload, int Attempt, int MaxAttempts, DateTimeOffset CreatedAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>True when a failure now would move the job to dead.</summary>
    public bool IsLastAttempt => Attempt >= MaxAttempts;

    public T Read<T>() => JsonSerializer.Deserialize<T>(Payload, Json)
        ?? throw new InvalidOperationException($"Job {Id} ({Type}) has an empty payload.");

    internal static string Write<T>(T payload) => JsonSerializer.Serialize(payload, Json);
}

public enum JobOutcome { Done, Retry, Fail }

/// <summary>A handler's answer. <see cref="RetryAfter"/> overrides the policy's backoff (e.g. Retry-After).</summary>
public sealed record JobResult(JobOutcome Outcome, string? Error = null, TimeSpan? RetryAfter = null)
{
    public static readonly JobResult Done = new(JobOutcome.Done);
    public static JobResult Retry(string error, TimeSpan? after = null) => new(JobOutcome.Retry, error, after);
    public static JobResult Fail(string error) => new(JobOutcome.Fail, error);
}

/// <summary>A task run every <c>every</c> by exactly one instance at a time (see <c>AddPeriodicTask</c>).
/// Runs as a recurring job, so the same idempotency contract applies.</summary>
public interface IPeriodicTask
{
    Task RunAsync(CancellationToken ct);
}
