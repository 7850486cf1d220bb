using System.Data.Common;
using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Paylink.Core.Data;

/// <summary>
/// SQLite allows one writer at a time. Without a queue, concurrent writers spin in SQLite's busy handler,
/// which sleeps in steps of up to 100 ms, so a burst of 64 writers collapses throughput and latency.
/// This gate queues writers in process instead: a transaction waits for the gate before BEGIN and
/// releases it at commit, rollback, failure or when its connection closes (whichever comes first).
/// Other processes (the CLI) still meet the busy timeout, which is fine for their rare writes.
/// </summary>
public sealed class SqliteWriteGate : IDbTransactionInterceptor, IDbConnectionInterceptor
{
    /// <summary>Longest wait for the gate; longer means a bug (a write transaction opened inside another).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    /// <summary>EF connection ids currently holding the gate.</summary>
    private readonly ConcurrentDictionary<Guid, byte> _holders = new();

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        if (StillHolds(eventData.ConnectionId)) return result;
        if (!await _gate.WaitAsync(MaxWait, cancellationToken)) throw Stuck();
        _holders[eventData.ConnectionId] = 0;
        return result;
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        if (StillHolds(eventData.ConnectionId)) return result;
        if (!_gate.Wait(MaxWait)) throw Stuck();
        _holders[eventData.ConnectionId] = 0;
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Release(eventData.ConnectionId);
    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) { Release(eventData.ConnectionId); return Task.CompletedTask; }
    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Release(eventData.ConnectionId);
    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) { Release(eventData.ConnectionId); return Task.CompletedTask; }
    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Release(eventData.ConnectionId);
    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default) { Release(eventData.ConnectionId); return Task.CompletedTask; }

    /// <summary>A transaction disposed without commit or rollback ends when its connection closes.</summary>
    public InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(eventData.ConnectionId);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(eventData.ConnectionId);
        return ValueTask.FromResult(result);
    }

    /// <summary>Also on dispose: a pooled context may dispose its connection without closing it first.</summary>
    public InterceptionResult ConnectionDisposing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(eventData.ConnectionId);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionDisposingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(eventData.ConnectionId);
        return ValueTask.FromResult(result);
    }

    /// <summary>
    /// A transaction disposed without commit or rollback (SaveChanges' own transaction after a failed statement) keeps
    /// the gate until its connection closes. If that connection starts another transaction first (a retry on an
    /// open connection), the old one is over — EF refuses a second transaction on a connection — so the new one
    /// carries the permit on instead of waiting for itself.
    /// </summary>
    private bool StillHolds(Guid connectionId) => _holders.ContainsKey(connectionId);

    private static TimeoutException Stuck() => new(
        $"Waited {MaxWait.TotalSeconds:F0} s for the SQLite write gate: is a write transaction being opened while another one in this process is still open?");

    private void Release(Guid connectionId)
    {
        if (_holders.TryRemove(connectionId, out _)) _gate.Release();
    }
}
