using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Data;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Hosting;

public abstract class HostTests<THost>(THost host) : IClassFixture<THost> where THost : PaylinkHost
{
    [Fact]
    public async Task Healthz_Healthy()
    {
        var r = await host.Client().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("Healthy", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_DescribesEveryApiEndpoint()
    {
        var doc = JsonDocument.Parse(await host.Client().GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = doc.GetProperty("paths");
        Assert.True(paths.GetProperty("/api/v1/links").TryGetProperty("post", out var create));
        Assert.True(create.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(create.GetProperty("responses").TryGetProperty("201", out _));
        var schema = create.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Contains("integer", schema.GetProperty("properties").GetProperty("amount").GetProperty("type").ToString());
        Assert.DoesNotContain("string", schema.GetProperty("properties").GetProperty("amount").GetProperty("type").ToString());
        Assert.True(paths.GetProperty("/api/v1/links").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/v1/links/{id}").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/v1/links/{id}/cancel").TryGetProperty("post", out _));

        // Every /api/v1 route the server maps appears in the document, and nothing else under /api.
        var mapped = host.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.Trim('/'))
            .Where(p => p.StartsWith("/api/", StringComparison.Ordinal)).Distinct().Order().ToList();
        var documented = paths.EnumerateObject().Select(p => p.Name).Where(p => p.StartsWith("/api/", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(mapped, documented);
    }

    [Fact]
    public async Task Database_HasNoPendingModelChanges()
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes without a migration: run scripts/add-migration.sh <Name>.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Root_IsALandingPage_InRussianAndEnglish_WithTheDemoChatOnlyWhenItExists()
    {
        var page = await (await host.Client().GetAsync("/")).HtmlAsync();
        Assert.Contains("lang=\"ru\"", page);
        Assert.Contains("Paylink работает", page);
        Assert.Contains("href=\"/dashboard\"", page);
        Assert.Contains("href=\"/openapi/v1.json\"", page);
        Assert.Contains("песочница", page);
        Assert.DoesNotContain("id=\"go-chat\"", page);

        var merchant = await host.NewMerchantAsync("Салон на главной");
        var created = await host.Client(merchant.ApiKey).PostJsonAsync("/api/v1/channel-accounts",
            $$$"""{"provider":"webchat","name":"Чат","settings":{"slug":"{{{Paylink.Core.Merchants.DemoSeeder.DemoChatSlug}}}"}}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var en = await (await host.Client().GetAsync("/?lang=en")).HtmlAsync();
        Assert.Contains("Paylink is running", en);
        Assert.Contains("href=\"/chat/demo\"", en);
        Assert.DoesNotContain("Салон на главной", en);   // public: names no merchant
    }

    [Fact]
    public async Task Migrator_DatabaseWithMigrationsThisBuildDoesNotKnow_RefusesAndChangesNothing()
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var before = (await db.Database.GetAppliedMigrationsAsync()).ToList();
        await db.Database.ExecuteSqlRawAsync("""INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('20990101000000_FromTheFuture', '10.0.0')""");
        try
        {
            var ex = await Assert.ThrowsAsync<UnknownMigrationsException>(() => scope.ServiceProvider.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None));
            Assert.Contains("20990101000000_FromTheFuture", ex.Message);
            Assert.Contains("Nothing was changed", ex.Message);
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("""DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20990101000000_FromTheFuture'""");
        }
        Assert.Equal(before, (await db.Database.GetAppliedMigrationsAsync()).ToList());
    }

    [Fact]
    public async Task UnknownRoute_Is404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client().GetAsync("/nope")).StatusCode);
    }
}

public sealed class HostSqliteTests(SqliteHost host) : HostTests<SqliteHost>(host);
public sealed class HostPostgresTests(PostgresHost host) : HostTests<PostgresHost>(host);

/// <summary>A host with a low pay-page limit, to see the limiter work.</summary>
public sealed class RateLimitedHost() : PaylinkHost(Db.Sqlite)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["PayPage:RateLimitPerMinute"] = "5" };
}

public sealed class RateLimitTests(RateLimitedHost host) : IClassFixture<RateLimitedHost>
{
    [Fact]
    public async Task PayPages_OverLimitPerIp_Get429WithRetryAfter()
    {
        var c = host.Client();
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync("/p/zzzzzzzzzz")).StatusCode);
        var r = await c.GetAsync("/p/zzzzzzzzzz");
        Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
        Assert.Equal("60", r.Headers.RetryAfter?.ToString());
        Assert.Contains("Слишком много запросов", await r.Content.ReadAsStringAsync());
        // The API is not limited by the pay-page policy.
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.GetAsync("/api/v1/links")).StatusCode);
    }
}
