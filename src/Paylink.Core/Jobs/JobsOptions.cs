using System.ComponentModel.DataAnnotations;

namespace Paylink.Core.Jobs;

/// <summary>Section <c>Jobs</c>: the durable job runner and the periodic maintenance tasks.</summary>
public sealed class JobsOptions : IValidatableObject
{
    public const string Section = "Jobs";

    /// <summary>Run the job runner in this server process. Turn off on instances that should only serve
    /// HTTP; at least one instance must run it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often an idle runner looks for due jobs enqueued by other instances (jobs enqueued by
    /// this instance wake it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Jobs one instance runs at the same time.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 32;

    /// <summary>How long a claim holds a job without a heartbeat. A live runner renews its claims every third
    /// of this, so a job whose holder died (crash, kill, lost machine) is claimed again within one lease, while a
    /// handler may run longer than the lease (up to <see cref="HandlerTimeout"/>).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a runner renews the leases it holds: a third of <see cref="LeaseDuration"/>.</summary>
    public TimeSpan HeartbeatInterval => LeaseDuration / 3;

    /// <summary>A handler running longer than this is cancelled and its job retried.</summary>
    public TimeSpan HandlerTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Succeeded jobs are deleted after this long (dead ones are kept until retried or deleted).</summary>
    public TimeSpan SucceededRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Rows one DELETE of the <c>jobs.purge</c> task removes: each batch is its own short transaction, so a
    /// backlog of millions neither holds a long lock nor grows one huge WAL record / rollback journal.</summary>
    [Range(100, 1_000_000)]
    public int PurgeBatchSize { get; set; } = 5000;

    /// <summary>Stored Idempotency-Key answers are deleted after this long; a retry later than that creates anew.</summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often open links past their expiry are marked expired (and <c>link.expired</c> sent).</summary>
    public TimeSpan LinkExpiryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the retention purges run.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often payments stuck in checkout or missing a notification are re-checked at their gateway.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the reconciliation report (our records vs the gateway's, last 24 h) is built and mismatches alerted.</summary>
    public TimeSpan ReconciliationReportInterval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often connected CRMs are asked for deals changed since the last run (Bitrix24 never resends a missed event).</summary>
    public TimeSpan CrmReconcileInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Readiness turns unhealthy when the oldest due job has waited longer than this.</summary>
    public TimeSpan BacklogUnhealthyAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Name of this instance in claims and logs; defaults to host name and process id.</summary>
    [MaxLength(60)]
    public string? InstanceName { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PollInterval < TimeSpan.FromMilliseconds(10) || PollInterval > TimeSpan.FromMinutes(1))
            yield return new ValidationResult("Jobs:PollInterval must be between 00:00:00.010 and 00:01:00.", [nameof(PollInterval)]);
        if (LeaseDuration < TimeSpan.FromSeconds(2) || LeaseDuration > TimeSpan.FromHours(1))
            yield return new ValidationResult("Jobs:LeaseDuration must be between 00:00:02 and 01:00:00.", [nameof(LeaseDuration)]);
        if (HandlerTimeout <= TimeSpan.Zero)
            yield return new ValidationResult("Jobs:HandlerTimeout must be positive.", [nameof(HandlerTimeout)]);
        foreach (var (name, value) in new[] { (nameof(SucceededRetention), SucceededRetention), (nameof(IdempotencyRetention), IdempotencyRetention),
                     (nameof(LinkExpiryInterval), LinkExpiryInterval), (nameof(PurgeInterval), PurgeInterval), (nameof(ReconcileInterval), ReconcileInterval),
                     (nameof(ReconciliationReportInterval), ReconciliationReportInterval), (nameof(CrmReconcileInterval), CrmReconcileInterval), (nameof(BacklogUnhealthyAfter), BacklogUnhealthyAfter) })
            if (value < TimeSpan.FromSeconds(1)) yield return new ValidationResult($"Jobs:{name} must be at least 1 second.", [name]);
    }
}
