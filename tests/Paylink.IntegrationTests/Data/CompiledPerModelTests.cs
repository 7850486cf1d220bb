using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Data;
using Paylink.Core.Merchants;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Data;

/// <summary>EF compiled queries bind to one model; one process holds the SQLite and PostgreSQL models (tests, tools).</summary>
public sealed class CompiledPerModelTests
{
    [Fact]
    public async Task OneQuery_RunsOnSqliteAndPostgresContexts_InTurn()
    {
        await using var sqlite = await TestDatabase.CreateAsync(Db.Sqlite);
        await using var pg = await TestDatabase.CreateAsync(Db.Postgres);
        await using var onSqlite = sqlite.BuildServices();
        await using var onPg = pg.BuildServices();
        var perModel = new CompiledPerModel<Func<AppDbContext, string, IEnumerable<Merchant>>>(
            () => EF.CompileQuery((AppDbContext db, string id) => db.Merchants.IgnoreQueryFilters().Where(m => m.Id == id)));
        var plain = EF.CompileQuery((AppDbContext db, string id) => db.Merchants.IgnoreQueryFilters().Where(m => m.Id == id));

        foreach (var sp in new[] { onSqlite, onPg, onSqlite })
        {
            await using var scope = sp.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.Empty(perModel.For(db)(db, "mer_missing"));
            Assert.Same(perModel.For(db), perModel.For(db));
        }

        // What it guards against: a plain compiled query refuses the second model.
        await using (var scope = onSqlite.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.Empty(plain(db, "mer_missing"));
        }
        await using (var scope = onPg.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.Throws<InvalidOperationException>(() => plain(db, "mer_missing").ToList());
        }
    }
}
