using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Data;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Hosting;

/// <summary>Migrations that move data keep it: each is applied to a database holding rows of the previous shape.</summary>
public abstract class MigrationTests(Db kind)
{
    [Fact]
    public async Task LinkItemsJson_CopiesExistingItemsIntoTheLink()
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var sp = db.BuildServices();
        await using (var scope = sp.CreateAsyncScope())
        {
            var ctx = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var migrator = ctx.GetService<IMigrator>();
            var initial = ctx.Database.GetMigrations().First(m => m.EndsWith("_Initial", StringComparison.Ordinal));
            await migrator.MigrateAsync(initial);   // back to the shape with a LinkItems table
            var created = kind == Db.Sqlite ? "0" : "now()";
            var sql = $"""
                INSERT INTO "Merchants" ("Id","Name","TimeZone","DefaultCurrency","DefaultLinkLifetimeMinutes","CreatedAt") VALUES ('mer_1','M','Europe/Moscow','RUB',60,{created});
                INSERT INTO "Orders" ("Id","MerchantId","CreatedAt") VALUES ('ord_1','mer_1',{created});
                INSERT INTO "PaymentLinks" ("Id","MerchantId","Code","OrderId","AmountMinor","Currency","Description","Status","CreatedAt","ExpiresAt","Version")
                  VALUES ('lnk_1','mer_1','abcdefghjk','ord_1',300,'RUB','x','open',{created},{created},0);
                INSERT INTO "LinkItems" ("LinkId","Position","AmountMinor","Name","Quantity","ServiceId") VALUES ('lnk_1',1,200,'Второй',2,NULL), ('lnk_1',0,100,'Первый',1,'manicure');
                """;
            await ctx.Database.ExecuteSqlRawAsync(sql);   // constant SQL; only the timestamp literal differs per database
            await migrator.MigrateAsync();
        }
        await using (var scope = sp.CreateAsyncScope())
        {
            var link = await scope.ServiceProvider.GetRequiredService<AppDbContext>().PaymentLinks.AsNoTracking().SingleAsync(l => l.Id == "lnk_1");
            Assert.Equal(["Первый", "Второй"], link.Items.OrderBy(i => i.Position).Select(i => i.Name));
            Assert.Equal([100L, 200L], link.Items.OrderBy(i => i.Position).Select(i => i.AmountMinor));
            Assert.Equal("manicure", link.Items.Single(i => i.Position == 0).ServiceId);
            Assert.Equal(2, link.Items.Single(i => i.Position == 1).Quantity);
        }
    }
}

public sealed class MigrationSqliteTests() : MigrationTests(Db.Sqlite);
public sealed class MigrationPostgresTests() : MigrationTests(Db.Postgres);
