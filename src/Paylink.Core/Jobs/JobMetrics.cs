using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Paylink.Core.Jobs;

/// <summary>
/// Job metrics (meter <c>Paylink.Jobs</c>) and traces (activity source <c>Paylink.Jobs</c>). The backlog
/// gauges show the last statistics the runner sampled (every few seconds).
/// </summary>
public sealed class JobMetrics : IDisposable
{
    public const string Name = "Paylink.Jobs";
    public static readonly ActivitySource Source = new(Name);

    private readonly Meter _meter = new(Name);
    private readonly Counter<long> _started;
    private readonly Counter<long> _finished;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _pickup;
    private readonly Counter<long> _runnerErrors;
    private volatile JobStats? _stats;

    public JobMetrics()
    {
        _started = _meter.CreateCounter<long>("paylink.jobs.started", "{job}", "Job attempts started.");
        _finished = _meter.CreateCounter<long>("paylink.jobs.finished", "{job}",
            "Job attempts finished, by outcome: succeeded, retry, dead, released (handed back on shutdown), lost (lease taken over).");
        _duration = _meter.CreateHistogram<double>("paylink.jobs.duration", "s", "Handler run time.");
        _pickup = _meter.CreateHistogram<double>("paylink.jobs.pickup_delay", "s", "From due time to the start of the first attempt.");
        _runnerErrors = _meter.CreateCounter<long>("paylink.jobs.runner_errors", "{error}", "Runner loop failures (database unreachable…).");
        _meter.CreateObservableGauge("paylink.jobs.due", () => _stats?.Due ?? 0, "{job}", "Pending jobs whose time has come.");
        _meter.CreateObservableGauge("paylink.jobs.dead", () => _stats?.Dead ?? 0, "{job}", "Dead-lettered jobs.");
        _meter.CreateObservableGauge("paylink.jobs.running", () => _stats?.Running ?? 0, "{job}", "Jobs currently claimed.");
        _meter.CreateObservableGauge("paylink.jobs.oldest_due_age", () => _stats?.OldestDueAge?.TotalSeconds ?? 0, "s",
            "How long the oldest due job has waited.");
    }

    public JobStats? LastStats => _stats;

    public void Started(string type, TimeSpan? pickup)
    {
        _started.Add(1, new KeyValuePair<string, object?>("type", type));
        if (pickup is { } p) _pickup.Record(Math.Max(0, p.TotalSeconds), new KeyValuePair<string, object?>("type", type));
    }

    public void Finished(string type, string outcome, TimeSpan duration)
    {
        var tags = new TagList { { "type", type }, { "outcome", outcome } };
        _finished.Add(1, tags);
        _duration.Record(duration.TotalSeconds, tags);
    }

    public void RunnerError(string stage) => _runnerErrors.Add(1, new KeyValuePair<string, object?>("stage", stage));

    public void Sampled(JobStats stats) => _stats = stats;

    public void Dispose() => _meter.Dispose();
}
