namespace Paylink.Providers.Channels;

/// <summary>
/// A messenger's flood limits, kept before sending: at most one message per dialog per <see cref="PerDialog"/>
/// and <see cref="PerBotPerSecond"/> messages per second per bot overall. <see cref="TryReserve"/> books the
/// earliest slot and says how long to wait for it. Runs on the system clock (network pacing, not business time).
/// One instance per provider (Telegram, MAX, VK); limits are per process, the provider's 429 covers several instances.
/// </summary>
public sealed class ChannelSendLimiter(TimeProvider clock, TimeSpan perDialog, int perBotPerSecond)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _dialogNext = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _botNext = new(StringComparer.Ordinal);
    private DateTimeOffset _lastSweep;

    public TimeSpan PerDialog => perDialog;
    public int PerBotPerSecond => perBotPerSecond;
    public TimeProvider Clock => clock;

    /// <summary>Books a send slot for <paramref name="dialog"/> of <paramref name="bot"/> unless it is more than
    /// <paramref name="maxWait"/> away. Returns true with the wait (zero = now), or false with the wait it would need.</summary>
    public bool TryReserve(string bot, string dialog, TimeSpan maxWait, out TimeSpan wait)
    {
        var spacing = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / Math.Max(1, perBotPerSecond));
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            Sweep(now);
            var key = bot + "/" + dialog;
            var at = now;
            if (_botNext.TryGetValue(bot, out var b) && b > at) at = b;
            if (_dialogNext.TryGetValue(key, out var d) && d > at) at = d;
            wait = at - now;
            if (wait > maxWait) return false;
            _botNext[bot] = at + spacing;
            _dialogNext[key] = at + perDialog;
            return true;
        }
    }

    /// <summary>Waits for a slot inside the job when it is near; otherwise says how long the job should wait.</summary>
    public async Task<TimeSpan?> WaitForSlotAsync(string bot, string dialog, TimeSpan maxWait, CancellationToken ct)
    {
        if (!TryReserve(bot, dialog, maxWait, out var wait)) return wait;
        if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, ct);
        return null;
    }

    private void Sweep(DateTimeOffset now)
    {
        if (now - _lastSweep < TimeSpan.FromMinutes(1)) return;
        _lastSweep = now;
        foreach (var key in _dialogNext.Where(kv => kv.Value < now).Select(kv => kv.Key).ToList()) _dialogNext.Remove(key);
        foreach (var key in _botNext.Where(kv => kv.Value < now).Select(kv => kv.Key).ToList()) _botNext.Remove(key);
    }
}
