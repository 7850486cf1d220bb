namespace Paylink.Providers.Channels.Telegram;

/// <summary>
/// Telegram's flood limits, kept before sending: at most one message per chat per <see cref="PerChat"/> and
/// <see cref="GlobalPerSecond"/> messages per second per bot overall. <see cref="TryReserve"/> books the
/// earliest slot and says how long to wait for it. Runs on the system clock (network pacing, not business time).
/// </summary>
public sealed class TelegramSendLimiter(TimeProvider clock, TimeSpan perChat, int globalPerSecond)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _chatNext = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _botNext = new(StringComparer.Ordinal);
    private DateTimeOffset _lastSweep;

    public TimeSpan PerChat => perChat;
    public int GlobalPerSecond => globalPerSecond;
    public TimeProvider Clock => clock;

    /// <summary>Books a send slot for <paramref name="chat"/> of <paramref name="bot"/> unless it is more than
    /// <paramref name="maxWait"/> away. Returns true with the wait (zero = now), or false with the wait it would need.</summary>
    public bool TryReserve(string bot, string chat, TimeSpan maxWait, out TimeSpan wait)
    {
        var spacing = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / Math.Max(1, globalPerSecond));
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            Sweep(now);
            var chatKey = bot + "/" + chat;
            var at = now;
            if (_botNext.TryGetValue(bot, out var b) && b > at) at = b;
            if (_chatNext.TryGetValue(chatKey, out var c) && c > at) at = c;
            wait = at - now;
            if (wait > maxWait) return false;
            _botNext[bot] = at + spacing;
            _chatNext[chatKey] = at + perChat;
            return true;
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        if (now - _lastSweep < TimeSpan.FromMinutes(1)) return;
        _lastSweep = now;
        foreach (var key in _chatNext.Where(kv => kv.Value < now).Select(kv => kv.Key).ToList()) _chatNext.Remove(key);
        foreach (var key in _botNext.Where(kv => kv.Value < now).Select(kv => kv.Key).ToList()) _botNext.Remove(key);
    }
}
