using Paylink.Core.Jobs;

namespace Paylink.Providers.Gateways.Sandbox;

/// <summary>
/// Job <c>sandbox.notify</c>: (re)sends the acquirer's signed notification for a completed checkout until
/// the merchant answers 2xx. Idempotent: a notified checkout is not sent again, and Paylink dedupes the
/// notification on its event id anyway.
/// </summary>
public sealed class SandboxNotifyHandler(SandboxAcquirer acquirer) : IJobHandler
{
    public const string JobType = "sandbox.notify";

    /// <summary>Like a bank: 5 s doubling to 10 min, for about 2 hours (15 attempts).</summary>
    public static readonly JobRetryPolicy Policy = new(15, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(10));

    public sealed record Payload(string CheckoutId);

    public async Task<JobResult> HandleAsync(JobContext job, CancellationToken ct)
    {
        var checkout = await acquirer.FindAsync(job.Read<Payload>().CheckoutId, ct);
        if (checkout is null || checkout.NotifiedAt is not null) return JobResult.Done;
        var error = await acquirer.NotifyAsync(checkout, ct);
        return error is null ? JobResult.Done : JobResult.Retry(error);
    }
}
