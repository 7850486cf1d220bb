using Microsoft.EntityFrameworkCore;

namespace Paylink.Core.Data;

/// <summary>Applies pending migrations of whichever database is configured.</summary>
public sealed class Migrator(AppDbContext db)
{
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await db.Database.MigrateAsync(ct);
        // WAL is a property of the database file: set once, it stays.
        if (db.IsSqlite) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        return pending;
    }
}
