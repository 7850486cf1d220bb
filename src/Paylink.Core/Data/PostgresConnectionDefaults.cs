using System.Data.Common;
using Npgsql;

namespace Paylink.Core.Data;

/// <summary>
/// Npgsql settings Paylink applies to a PostgreSQL connection string unless the string sets them itself
/// (docs/deployment.md, "Connection pool"). Measured on the pay page and link creation (docs/performance.md):
/// <list type="bullet">
/// <item><c>Max Auto Prepare</c> (Npgsql's default 0 = off): EF's queries (the merchant's gateway accounts,
/// customer look-ups, the job runner's claims) become server-side prepared statements after a few uses on a
/// physical connection, so PostgreSQL stops parsing and planning them on every request.</item>
/// <item><c>No Reset On Close</c>: a connection returned to the pool is not sent <c>DISCARD ALL</c>; Paylink sets
/// no session state (no temp tables, no <c>SET</c>), so the reset is pure cost — and it would discard the
/// auto-prepared statements above.</item>
/// </list>
/// The pool size is not defaulted: it depends on the number of instances and the database's cores, and is
/// documented, not guessed.
/// </summary>
public static class PostgresConnectionDefaults
{
    public const int MaxAutoPrepare = 64;

    public static string Apply(string connectionString)
    {
        // The raw builder keeps the keys exactly as written: "set by the operator" is any spelling Npgsql accepts.
        var raw = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var keys = raw.Keys.Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()).ToHashSet();
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        if (!keys.Contains("MAXAUTOPREPARE")) b.MaxAutoPrepare = MaxAutoPrepare;
        if (!keys.Contains("NORESETONCLOSE")) b.NoResetOnClose = true;
        return b.ConnectionString;
    }
}
