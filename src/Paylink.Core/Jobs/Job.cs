namespace Paylink.Core.Jobs;

/// <summary>
/// pending → running (claimed) → succeeded | pending again (retry with backoff) | dead (attempts used up
/// or a permanent failure). A running job whose lease ran out is claimable again: the instance that held
/// it is presumed dead. dead → pending only by hand (<c>paylink jobs retry</c>). A recurring (periodic)
/// job never succeeds for good: on success it goes back to pending at its next run time.
/// </summary>
public enum JobState
{
    Pending,
    Running,
    Succeeded,
    Dead,
}

/// <summary>
/// One unit of durable background work (the outbox). Written in the same transaction as the change that
/// causes it; claimed, run and completed by <see cref="JobRunner"/>. State changes happen through
/// conditional updates in <see cref="JobStore"/> (a runner that lost its lease can no longer complete the
/// job); the methods here are the same rules for a tracked entity (CLI retry).
/// </summary>
public sealed class Job
{
    public const int MaxErrorLength = 1000;

    private Job() { }

    public long Id { get; private set; }
    /// <summary>Handler key, e.g. <c>webhook.deliver</c>.</summary>
    public string Type { get; private set; } = "";
    /// <summary>JSON arguments for the handler; ids, never secrets or personal data in clear.</summary>
    public string Payload { get; private set; } = "{}";
    public JobState State { get; private set; }
    /// <summary>When the job is due (pending) — the next attempt after a failure.</summary>
    public DateTimeOffset RunAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>Attempts started so far (a claim counts as an attempt; a graceful shutdown gives it back).</summary>
    public int Attempts { get; private set; }
    public int MaxAttempts { get; private set; }
    public string? LastError { get; private set; }
    /// <summary>The claim token of the runner holding the job (instance + batch), null unless running.</summary>
    public string? LockedBy { get; private set; }
    /// <summary>Lease end of a running job: after it, another runner may claim the job again.</summary>
    public DateTimeOffset? LockedUntil { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    /// <summary>Optional key unique per <see cref="Type"/>: the same work is not queued twice.</summary>
    public string? DedupeKey { get; private set; }
    /// <summary>Set for periodic tasks: the interval after which the job runs again.</summary>
    public int? RecurEverySeconds { get; private set; }
    /// <summary>W3C traceparent of the request that enqueued the job, so its trace continues in the runner.</summary>
    public string? TraceParent { get; private set; }

    public static Job Create(string type, string payload, DateTimeOffset now, DateTimeOffset runAt, int maxAttempts,
        string? dedupeKey = null, int? recurEverySeconds = null, string? traceParent = null) => new()
        {
            Type = type, Payload = payload, State = JobState.Pending, CreatedAt = now, RunAt = runAt,
            MaxAttempts = maxAttempts, DedupeKey = dedupeKey, RecurEverySeconds = recurEverySeconds, TraceParent = traceParent,
        };

    /// <summary>A dead (or, for an operator's impatience, a pending) job is made due now with fresh attempts.
    /// A running or succeeded job is not touched.</summary>
    public Common.Result<bool> Retry(DateTimeOffset now)
    {
        if (State is JobState.Running) return Common.Error.Conflict("job_running", $"Job {Id} is running; wait for it to finish.");
        if (State is JobState.Succeeded) return Common.Error.Conflict("job_succeeded", $"Job {Id} has already succeeded.");
        State = JobState.Pending;
        RunAt = now;
        Attempts = 0;
        LockedBy = null;
        LockedUntil = null;
        CompletedAt = null;
        return true;
    }

    public static string Truncate(string? error) =>
        error is null ? "" : error.Length <= MaxErrorLength ? error : string.Concat(error.AsSpan(0, MaxErrorLength - 1), "…");
}
