using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Paylink.Core;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Providers;

namespace Paylink.IntegrationTests.Infrastructure;

public enum Db { Sqlite, Postgres }

/// <summary>
/// A fresh, migrated database for one test class: a SQLite file in a temp directory, or a new database
/// on the PostgreSQL cluster scripts/test.sh starts (PAYLINK_TEST_POSTGRES). PostgreSQL tests never
/// skip: without the variable they fail and say how to run them.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "PAYLINK_TEST_POSTGRES";

    private readonly string? _pgAdmin;
    private readonly string? _pgName;

    private TestDatabase(Db kind, string dataDir, string connectionString, string? pgAdmin, string? pgName)
    {
        Kind = kind; DataDir = dataDir; ConnectionString = connectionString; _pgAdmin = pgAdmin; _pgName = pgName;
    }

    public Db Kind { get; }
    public string DataDir { get; }
    public string ConnectionString { get; }

    /// <summary>Configuration keys that point Paylink (server or CLI) at this database.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Database:Provider"] = Kind == Db.Sqlite ? "sqlite" : "postgres",
        ["Database:ConnectionString"] = ConnectionString,
        ["DATA_DIR"] = DataDir,
        ["Demo:Seed"] = "false",
    };

    public static async Task<TestDatabase> CreateAsync(Db kind)
    {
        var dataDir = Directory.CreateTempSubdirectory("paylink-test-").FullName;
        TestDatabase db;
        if (kind == Db.Sqlite)
        {
            db = new TestDatabase(kind, dataDir, $"Data Source={Path.Combine(dataDir, "paylink.db")};Default Timeout=30", null, null);
        }
        else
        {
            var admin = Environment.GetEnvironmentVariable(PostgresVariable);
            if (string.IsNullOrEmpty(admin))
                throw new InvalidOperationException($"{PostgresVariable} is not set. Run scripts/test.sh, which starts a throw-away PostgreSQL and sets it.");
            var name = "t_" + Guid.NewGuid().ToString("N")[..16];
            await using (var conn = new NpgsqlConnection(admin))
            {
                await conn.OpenAsync();
                await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", conn);
                await cmd.ExecuteNonQueryAsync();
            }
            var cs = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 50 }.ConnectionString;
            db = new TestDatabase(kind, dataDir, cs, admin, name);
        }
        await using (var sp = db.BuildServices())
        await using (var scope = sp.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
        return db;
    }

    /// <summary>Core + Providers services on this database, as the CLI composes them.</summary>
    public ServiceProvider BuildServices(TimeProvider? clock = null, Action<IServiceCollection>? configure = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = Settings;
        all["Outbound:AllowPrivateNetworks"] = "true";   // local fakes listen on loopback
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) all[k] = v;
        var config = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddLogging();
        services.AddPaylinkCore(config);
        services.AddPaylinkProviders();
        if (clock is not null) services.AddSingleton(clock);
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public async ValueTask DisposeAsync()
    {
        if (_pgName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(_pgAdmin);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_pgName} WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
