using Microsoft.EntityFrameworkCore;

namespace Paylink.Core.Data;

/// <summary>Applies pending migrations of whichever database is configured.</summary>
public sealed class Migrator(AppDbContext db)
{
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct)
    {
        // A database that went through migrations this build does not have (a newer Paylink, or a pre-release build
        // whose migrations were squashed into one Initial) would be "migrated" into a broken state: refuse, saying why.
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var foreign = (await db.Database.GetAppliedMigrationsAsync(ct)).Where(m => !known.Contains(m)).ToList();
        if (foreign.Count > 0)
            throw new UnknownMigrationsException(foreign);
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await db.Database.MigrateAsync(ct);
        // WAL is a property of the database file: set once, it stays.
        if (db.IsSqlite) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        return pending;
    }
}

/// <summary>The database records migrations this build does not know; nothing was changed.</summary>
public sealed class UnknownMigrationsException(IReadOnlyList<string> migrations) : InvalidOperationException(
    $"The database has {migrations.Count} migration(s) this build does not know ({string.Join(", ", migrations.Take(3))}{(migrations.Count > 3 ? ", …" : "")}). " +
    "It was made by a newer Paylink, or by a pre-release build whose migrations were squashed into one Initial (docs/deployment.md, \"Migrations\"). " +
    "Nothing was changed: run the Paylink version that made it, or start from a new database (for the embedded SQLite: move the data directory aside).")
{
    public IReadOnlyList<string> Migrations { get; } = migrations;
}
