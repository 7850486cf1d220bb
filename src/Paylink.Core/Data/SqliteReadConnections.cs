using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Paylink.Core.Data;

/// <summary>
/// A small pool of always-open, read-only SQLite connections that keep their prepared statements, for
/// the hottest public reads (the pay page). Opening a pooled connection through EF, registering EF's SQL
/// functions and preparing the statement cost more than the indexed SELECT itself (docs/performance.md).
/// Each lease is exclusive (a SQLite connection is not thread-safe); WAL lets these readers run beside
/// the writer, and every statement sees the latest commit. Writes never go through here:
/// <c>PRAGMA query_only</c> refuses them.
/// </summary>
public sealed class SqliteReadConnections : IDisposable
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentStack<Entry> _idle = new();
    private int _disposedFlag;

    /// <param name="connectionString">The database's connection string; Microsoft.Data.Sqlite's own pool is
    /// turned off for these connections, so disposing the set really closes the file.</param>
    /// <param name="maxConnections">Most connections open at once; further readers wait for one.</param>
    public SqliteReadConnections(string connectionString, int maxConnections)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConnections, 1);
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
        MaxConnections = maxConnections;
        _slots = new SemaphoreSlim(maxConnections, maxConnections);
    }

    public int MaxConnections { get; }

    private bool IsDisposed => Volatile.Read(ref _disposedFlag) != 0;

    /// <summary>Connections open now (idle or leased); for tests.</summary>
    internal int OpenCount => Volatile.Read(ref _open);
    private int _open;

    /// <summary>Waits for a free connection (opening one when fewer than the maximum are open).</summary>
    public async ValueTask<Lease> RentAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (!_slots.Wait(0)) await _slots.WaitAsync(ct);
        try
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            if (!_idle.TryPop(out var entry)) entry = await OpenAsync(ct);
            return new Lease(this, entry);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    private async Task<Entry> OpenAsync(CancellationToken ct)
    {
        var conn = new SqliteConnection(_connectionString);
        try
        {
            await conn.OpenAsync(ct);
            await using (var cmd = conn.CreateCommand())
            {
                cmd.CommandText = "PRAGMA query_only=ON; PRAGMA busy_timeout=30000;";
                await cmd.ExecuteNonQueryAsync(ct);
            }
            Interlocked.Increment(ref _open);
            return new Entry(conn);
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    private void Return(Entry entry)
    {
        if (IsDisposed)
        {
            Close(entry);
            return;
        }
        _idle.Push(entry);   // a full fence: the check below cannot move before it
        if (IsDisposed) CloseIdle();   // Dispose ran meanwhile and may have missed this one
        else _slots.Release();
    }

    private void CloseIdle()
    {
        while (_idle.TryPop(out var entry)) Close(entry);
    }

    private void Close(Entry entry)
    {
        entry.Dispose();
        Interlocked.Decrement(ref _open);
    }

    /// <summary>Closes the idle connections now and leased ones when they come back.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposedFlag, 1) != 0) return;
        CloseIdle();
    }

    internal sealed class Entry(SqliteConnection connection) : IDisposable
    {
        public readonly SqliteConnection Connection = connection;
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        public SqliteCommand Command(string sql, string[] parameters)
        {
            if (_commands.TryGetValue(sql, out var cmd)) return cmd;
            cmd = Connection.CreateCommand();
            cmd.CommandText = sql;
            foreach (var name in parameters) cmd.Parameters.Add(new SqliteParameter { ParameterName = name, Value = DBNull.Value });
            cmd.Prepare();
            _commands.Add(sql, cmd);
            return cmd;
        }

        public void Dispose()
        {
            foreach (var cmd in _commands.Values) cmd.Dispose();
            _commands.Clear();
            Connection.Dispose();
        }
    }

    /// <summary>One connection, held until disposed. Not thread-safe, like the connection itself.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly SqliteReadConnections _owner;
        private Entry? _entry;

        internal Lease(SqliteReadConnections owner, Entry entry)
        {
            _owner = owner;
            _entry = entry;
        }

        /// <summary>
        /// The prepared command for <paramref name="sql"/> on this connection (prepared once per connection
        /// and kept), with the named parameters declared; set their values, then execute it. Dispose the
        /// reader before the lease.
        /// </summary>
        public SqliteCommand Command(string sql, params string[] parameters)
        {
            ObjectDisposedException.ThrowIf(_entry is null, this);
            return _entry.Command(sql, parameters);
        }

        public void Dispose()
        {
            var entry = Interlocked.Exchange(ref _entry, null);
            if (entry is not null) _owner.Return(entry);
        }
    }
}
