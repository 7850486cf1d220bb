extern alias cli;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Dashboard;
using Paylink.Core.Merchants;
using Paylink.IntegrationTests.Cli;
using Paylink.IntegrationTests.Infrastructure;
using CliProgram = cli::Paylink.Cli;

namespace Paylink.IntegrationTests.Dashboard;

/// <summary>The demo seeding creates a dashboard owner with a generated (not hard-coded) password.</summary>
[Collection(CliCollection.Name)]
public abstract class DemoOwnerTests<TDb>(TDb fixture) : IClassFixture<TDb> where TDb : DbFixture
{
    [Fact]
    public async Task SeedIfEmpty_CreatesDemoOwnerWithRandomPassword_ThatSignsIn()
    {
        CliProgram.CliApp.Overrides = fixture.Database.Settings;
        try
        {
            await using var services = CliProgram.CliApp.BuildServices();
            await using var scope = services.CreateAsyncScope();
            var seed = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(CancellationToken.None);
            Assert.NotNull(seed);
            Assert.Equal(DemoSeeder.OwnerEmail, seed.OwnerEmail);
            Assert.True(seed.OwnerPassword.Length >= 20);
            var users = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
            var owner = await users.FindByEmailAsync(DemoSeeder.OwnerEmail);
            Assert.NotNull(owner);
            Assert.Equal(seed.MerchantId, owner.MerchantId);
            Assert.Equal(DashboardRoles.Owner, owner.Role);
            Assert.True(await users.CheckPasswordAsync(owner, seed.OwnerPassword));
            Assert.DoesNotContain(seed.OwnerPassword, await File.ReadAllTextAsync(Path.Combine(fixture.Database.DataDir, DemoSeeder.KeyFileName)));
            Assert.Null(await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(CancellationToken.None));
        }
        finally
        {
            CliProgram.CliApp.Overrides = null;
        }
    }
}

public sealed class DemoOwnerSqliteTests(SqliteDb db) : DemoOwnerTests<SqliteDb>(db);
public sealed class DemoOwnerPostgresTests(PostgresDb db) : DemoOwnerTests<PostgresDb>(db);
