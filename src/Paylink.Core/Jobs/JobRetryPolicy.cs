namespace Paylink.Core.Jobs;

/// <summary>
/// How often and how far apart a job type is retried: the wait before attempt n+1 is
/// <c>min(Cap, Base · 2^(n-1))</c>, then ±<see cref="Jitter"/> so a burst of failures does not retry in
/// lockstep; never more than <see cref="Cap"/>. After <see cref="MaxAttempts"/> attempts the job is dead.
/// </summary>
public sealed record JobRetryPolicy(int MaxAttempts, TimeSpan Base, TimeSpan Cap, double Jitter = 0.2)
{
    /// <summary>10 attempts, 5 s doubling up to 1 h (about 3 h in all).</summary>
    public static readonly JobRetryPolicy Default = new(10, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1));

    /// <summary>The wait after the <paramref name="attempt"/>-th failed attempt (1-based). <paramref name="unit"/>
    /// is a uniform random number in [0, 1).</summary>
    public TimeSpan DelayAfter(int attempt, double unit)
    {
        var exp = Math.Min(Math.Max(attempt, 1) - 1, 40);
        var raw = Math.Min(Cap.TotalSeconds, Base.TotalSeconds * Math.Pow(2, exp));
        var jittered = raw * (1 - Jitter + 2 * Jitter * Math.Clamp(unit, 0, 1));
        return TimeSpan.FromSeconds(Math.Clamp(jittered, 0, Cap.TotalSeconds));
    }

    /// <summary>The nominal (jitter-free) waits between attempts, for documentation and tests.</summary>
    public IEnumerable<TimeSpan> Schedule() => Enumerable.Range(1, MaxAttempts - 1).Select(a => DelayAfter(a, 0.5));
}
