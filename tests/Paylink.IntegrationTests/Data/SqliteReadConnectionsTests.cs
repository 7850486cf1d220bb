using Microsoft.Data.Sqlite;
using Paylink.Core.Data;

namespace Paylink.IntegrationTests.Data;

/// <summary>The always-open read connections of the pay page (SQLite only; PostgreSQL reads through its own pool).</summary>
public sealed class SqliteReadConnectionsTests : IDisposable
{
    private const string Select = "SELECT v FROM t WHERE k = @k";
    private readonly string _dir = Directory.CreateTempSubdirectory("paylink-reads-").FullName;
    private readonly string _cs;

    public SqliteReadConnectionsTests()
    {
        _cs = $"Data Source={Path.Combine(_dir, "r.db")}";
        using var conn = new SqliteConnection(_cs + ";Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL); INSERT INTO t VALUES (1, 'one'), (2, 'two');";
        cmd.ExecuteNonQuery();
    }

    private static async Task<string?> ReadAsync(SqliteReadConnections reads, long k, CancellationToken ct = default)
    {
        using var lease = await reads.RentAsync(ct);
        var cmd = lease.Command(Select, "@k");
        cmd.Parameters[0].Value = k;
        return (string?)await cmd.ExecuteScalarAsync(ct);
    }

    private void Write(string sql)
    {
        using var conn = new SqliteConnection(_cs + ";Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    [Fact]
    public async Task Reads_ReuseOneConnectionAndItsPreparedCommand_AndSeeLaterCommits()
    {
        using var reads = new SqliteReadConnections(_cs, 4);
        Assert.Equal("one", await ReadAsync(reads, 1));
        SqliteCommand first;
        using (var lease = await reads.RentAsync(CancellationToken.None)) first = lease.Command(Select, "@k");
        using (var lease = await reads.RentAsync(CancellationToken.None)) Assert.Same(first, lease.Command(Select, "@k"));
        Assert.Equal(1, reads.OpenCount);

        Write("UPDATE t SET v = 'uno' WHERE k = 1; INSERT INTO t VALUES (3, 'three');");
        Assert.Equal("uno", await ReadAsync(reads, 1));
        Assert.Equal("three", await ReadAsync(reads, 3));
        Assert.Null(await ReadAsync(reads, 4));
    }

    [Fact]
    public async Task Writes_AreRefused()
    {
        using var reads = new SqliteReadConnections(_cs, 2);
        using var lease = await reads.RentAsync(CancellationToken.None);
        var cmd = lease.Command("UPDATE t SET v = 'x' WHERE k = @k", "@k");
        cmd.Parameters[0].Value = 1L;
        Assert.Throws<SqliteException>(() => cmd.ExecuteNonQuery());
        Assert.Equal("one", await ReadAsync(reads, 1));
    }

    [Fact]
    public async Task ManyConcurrentReaders_NeverShareAConnection_AndStayWithinTheMaximum()
    {
        using var reads = new SqliteReadConnections(_cs, 3);
        var inUse = new System.Collections.Concurrent.ConcurrentDictionary<SqliteCommand, byte>();
        var maxSeen = 0;
        var failures = 0;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            for (var n = 0; n < 50; n++)
            {
                using var lease = await reads.RentAsync(CancellationToken.None);
                var cmd = lease.Command(Select, "@k");
                if (!inUse.TryAdd(cmd, 0)) Interlocked.Increment(ref failures);
                InterlockedMax(ref maxSeen, inUse.Count);
                cmd.Parameters[0].Value = (long)(i % 2 + 1);
                var v = (string?)await cmd.ExecuteScalarAsync();
                if (v != (i % 2 == 0 ? "one" : "two")) Interlocked.Increment(ref failures);
                inUse.TryRemove(cmd, out _);
            }
        })));
        Assert.Equal(0, failures);
        Assert.InRange(maxSeen, 1, 3);
        Assert.InRange(reads.OpenCount, 1, 3);
    }

    [Fact]
    public async Task Rent_WaitsForAFreeConnection_AndHonoursCancellation()
    {
        using var reads = new SqliteReadConnections(_cs, 1);
        var held = await reads.RentAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reads.RentAsync(cts.Token));
        var waiting = reads.RentAsync(CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        held.Dispose();
        held.Dispose();   // a second dispose does not free a second slot
        using (await waiting.WaitAsync(TimeSpan.FromSeconds(10))) Assert.Equal(1, reads.OpenCount);
        using var again = await reads.RentAsync(CancellationToken.None);
        Assert.Equal(1, reads.OpenCount);
    }

    [Fact]
    public async Task Dispose_ClosesIdleConnectionsAtOnce_AndLeasedOnesWhenReturned()
    {
        var reads = new SqliteReadConnections(_cs, 4);
        Assert.Equal(0, OpenFileHandles());
        var a = await reads.RentAsync(CancellationToken.None);
        var b = await reads.RentAsync(CancellationToken.None);
        a.Command(Select, "@k");
        b.Dispose();
        Assert.Equal(2, reads.OpenCount);
        Assert.True(OpenFileHandles() >= 2);

        reads.Dispose();
        Assert.Equal(1, reads.OpenCount);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await reads.RentAsync(CancellationToken.None));
        a.Dispose();
        Assert.Equal(0, reads.OpenCount);
        Assert.Throws<ObjectDisposedException>(() => a.Command(Select, "@k"));
        reads.Dispose();
        Assert.Equal(0, OpenFileHandles());   // Microsoft.Data.Sqlite's own pool keeps nothing open either
    }

    /// <summary>File descriptors of this process open on the database's files (Linux: /proc/self/fd).</summary>
    private int OpenFileHandles() => new DirectoryInfo("/proc/self/fd").GetFileSystemInfos()
        .Count(f => f.LinkTarget?.StartsWith(_dir, StringComparison.Ordinal) == true);

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
