using System.Threading.Channels;

namespace Paylink.Core.Jobs;

/// <summary>
/// In-process wake-up for the runner: raised when a transaction that added jobs commits here, so an idle
/// runner starts at once instead of at its next poll. Several raises before the runner looks collapse
/// into one.
/// </summary>
public sealed class JobSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite, SingleReader = false, SingleWriter = false,
    });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Waits for a raise or for <paramref name="timeout"/> (on <paramref name="clock"/>), whichever is first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken ct)
    {
        if (_channel.Reader.TryRead(out _)) return;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var read = _channel.Reader.WaitToReadAsync(cts.Token).AsTask();
        var delay = Task.Delay(timeout, clock, cts.Token);
        await Task.WhenAny(read, delay);
        await cts.CancelAsync();
        _channel.Reader.TryRead(out _);
        ct.ThrowIfCancellationRequested();
    }
}
