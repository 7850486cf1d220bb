using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Paylink.Core.Data.Generation;

/// <summary>
/// Writes many rows of model entities fast, with the columns and value conversions of the EF model
/// (<see cref="RowInserter"/>): on PostgreSQL a binary <c>COPY … FROM STDIN</c> per table and flush; on SQLite the
/// prepared INSERT of each table reused for every row inside one transaction per flush. Database-generated keys
/// (job and event ids) are left to the database. Not for request paths: it bypasses change tracking and the
/// link-event reactions on purpose (the data generator writes history, not new work).
/// </summary>
public sealed class BulkWriter(AppDbContext db) : IAsyncDisposable
{
    private readonly Dictionary<Type, DbCommand> _sqliteCommands = [];
    private DbTransaction? _tx;
    private bool _opened;

    public long Rows { get; private set; }

    private async Task<DbConnection> ConnectionAsync(CancellationToken ct)
    {
        if (!_opened)
        {
            await db.Database.OpenConnectionAsync(ct);
            _opened = true;
        }
        return db.Database.GetDbConnection();
    }

    /// <summary>Writes <paramref name="rows"/> (call in foreign-key order: parents first).</summary>
    public async Task WriteAsync<T>(IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        var inserter = RowInserter.For<T>(db);
        var conn = await ConnectionAsync(ct);
        if (conn is NpgsqlConnection pg)
        {
            var values = new object?[inserter.ColumnNames.Count];
            var types = Enumerable.Range(0, values.Length).Select(inserter.StoreTypeName).ToArray();
            await using var import = await pg.BeginBinaryImportAsync(
                $"COPY {inserter.Table} ({string.Join(", ", inserter.ColumnNames)}) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var row in rows)
            {
                inserter.Values(row, values);
                await import.StartRowAsync(ct);
                for (var i = 0; i < values.Length; i++) await WriteValueAsync(import, values[i], types[i], ct);
            }
            await import.CompleteAsync(ct);
        }
        else
        {
            _tx ??= await conn.BeginTransactionAsync(ct);
            if (!_sqliteCommands.TryGetValue(typeof(T), out var cmd))
                _sqliteCommands[typeof(T)] = cmd = await inserter.PrepareAsync(conn, _tx, ct);
            foreach (var row in rows) await inserter.InsertAsync(cmd, row, ct);
        }
        Rows += rows.Count;
    }

    /// <summary>Commits what SQLite has written since the last flush (PostgreSQL's COPY commits per table already).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        if (_tx is null) return;
        await _tx.CommitAsync(ct);
        await _tx.DisposeAsync();
        _tx = await (await ConnectionAsync(ct)).BeginTransactionAsync(ct);
        foreach (var cmd in _sqliteCommands.Values) cmd.Transaction = _tx;
    }

    private static Task WriteValueAsync(NpgsqlBinaryImporter import, object? value, string type, CancellationToken ct) => value switch
    {
        null => import.WriteNullAsync(ct),
        string s => import.WriteAsync(s, type, ct),
        long l => import.WriteAsync(l, type, ct),
        int i => import.WriteAsync(i, type, ct),
        short sh => import.WriteAsync(sh, type, ct),
        bool b => import.WriteAsync(b, type, ct),
        DateTimeOffset d => import.WriteAsync(d.ToUniversalTime(), type, ct),
        DateTime dt => import.WriteAsync(dt, type, ct),
        DateOnly date => import.WriteAsync(date, type, ct),
        decimal m => import.WriteAsync(m, type, ct),
        double f => import.WriteAsync(f, type, ct),
        Guid g => import.WriteAsync(g, type, ct),
        byte[] bytes => import.WriteAsync(bytes, type, ct),
        _ => import.WriteAsync(value, type, ct),
    };

    public async ValueTask DisposeAsync()
    {
        // Not committed here: what was not flushed is rolled back, so an interrupted run leaves whole flushes only.
        if (_tx is not null) await _tx.DisposeAsync();
        foreach (var cmd in _sqliteCommands.Values) await cmd.DisposeAsync();
        if (_opened) await db.Database.CloseConnectionAsync();
    }
}
