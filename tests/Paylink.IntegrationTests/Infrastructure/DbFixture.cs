namespace Paylink.IntegrationTests.Infrastructure;

/// <summary>A migrated test database shared by one test class (no server).</summary>
public class DbFixture(Db kind) : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync() => Database = await TestDatabase.CreateAsync(kind);

    public Task DisposeAsync() => Database.DisposeAsync().AsTask();
}

public sealed class SqliteDb() : DbFixture(Db.Sqlite);
public sealed class PostgresDb() : DbFixture(Db.Postgres);
