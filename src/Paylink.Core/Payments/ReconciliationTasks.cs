using Microsoft.Extensions.Logging;
using Paylink.Core.Jobs;

namespace Paylink.Core.Payments;

/// <summary>Periodic task <c>payments.reconcile</c>: asks gateways about stuck checkouts and missing
/// notifications and applies the same transitions as a notification would (deduplicated, so any
/// instance may run it).</summary>
public sealed class ReconcilePaymentsTask(ReconcilePayments reconcile, ILogger<ReconcilePaymentsTask> log) : IPeriodicTask
{
    public const string Name = "payments.reconcile";

    public async Task RunAsync(CancellationToken ct)
    {
        var s = await reconcile.RunAsync(merchantId: null, ct);
        if (s.Changed > 0 || s.Unavailable > 0)
            log.LogInformation("Reconciliation checked {Checked}, changed {Changed}, gateway unavailable for {Unavailable}", s.Checked, s.Changed, s.Unavailable);
    }
}

/// <summary>Periodic task <c>payments.reconciliation-report</c>: compares the last day's records with the
/// gateways' and raises each mismatch as an error log line (alerting hooks on it).</summary>
public sealed class ReconciliationReportTask(ReconciliationReport report, ILogger<ReconciliationReportTask> log) : IPeriodicTask
{
    public const string Name = "payments.reconciliation-report";

    public async Task RunAsync(CancellationToken ct)
    {
        var mismatches = await report.BuildAsync(merchantId: null, TimeSpan.FromHours(24), ct);
        foreach (var m in mismatches)
            log.LogError("Reconciliation mismatch: merchant {MerchantId} link {LinkId} attempt {AttemptId} at {Provider}: ours {Ours}, gateway {Gateway} ({Detail})",
                m.MerchantId, m.LinkId, m.AttemptId, m.Provider, m.Ours, m.Gateway, m.Detail);
    }
}
