using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Paylink.Providers.Crm.Bitrix24;

public sealed class Bitrix24Options
{
    public const string Section = "Crm:Bitrix24";

    /// <summary>Requests per second per portal (Bitrix24 drains its counter by 2/s on non-Enterprise plans).</summary>
    [Range(0.1, 100)]
    public double RequestsPerSecond { get; set; } = 2;

    /// <summary>Requests that may go at once before the rate applies (Bitrix24 blocks above 50).</summary>
    [Range(1, 250)]
    public int Burst { get; set; } = 10;

    /// <summary>Timeout of one REST call (Bitrix24 cloud cuts requests at 60 s).</summary>
    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 30;
}

/// <summary>
/// Client-side token bucket per portal (shared by every merchant on that portal in this process): up to
/// <see cref="Bitrix24Options.Burst"/> calls at once, refilled at <see cref="Bitrix24Options.RequestsPerSecond"/>.
/// It never sleeps: when empty it says how long to wait, and the caller's job retries after that, so a
/// busy portal holds no job slot. Time comes from the injected clock.
/// </summary>
public sealed class Bitrix24RateLimiter(IOptions<Bitrix24Options> options, TimeProvider clock)
{
    private sealed class Bucket
    {
        public double Tokens;
        public DateTimeOffset At;
    }

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Takes one token for <paramref name="portal"/>; false and the wait until one is free when empty.</summary>
    public bool TryAcquire(string portal, out TimeSpan retryAfter)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var bucket = _buckets.GetOrAdd(portal, _ => new Bucket { Tokens = o.Burst, At = now });
        lock (bucket)
        {
            var elapsed = Math.Max(0, (now - bucket.At).TotalSeconds);
            bucket.Tokens = Math.Min(o.Burst, bucket.Tokens + elapsed * o.RequestsPerSecond);
            bucket.At = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }
            retryAfter = TimeSpan.FromSeconds((1 - bucket.Tokens) / o.RequestsPerSecond);
            return false;
        }
    }
}
