using System.Net;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Dashboard;

public class SignInLimitHost(Db kind) : PaylinkHost(kind)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Dashboard:SignInRateLimitPerMinute"] = "3" };
}

public sealed class SignInLimitSqliteHost() : SignInLimitHost(Db.Sqlite);
public sealed class SignInLimitPostgresHost() : SignInLimitHost(Db.Postgres);

/// <summary>Sign-in attempts from one address are limited per minute across users (password spraying), besides per-user lockout.</summary>
public abstract class SignInLimitTests<THost>(THost host) : IClassFixture<THost> where THost : SignInLimitHost
{
    [Fact]
    public async Task SignIn_MoreThanTheLimitPerMinute_Is429AcrossUsers_PagesStillOpen()
    {
        var a = await host.NewUserAsync();
        var b = await host.NewUserAsync();
        var c = host.Dash();
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.SignInAsync(a.Email, "wrong-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.SignInAsync(b.Email, "wrong-2")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.SignInAsync(a.Email, "wrong-3")).StatusCode);
        var limited = await c.SignInAsync(b.Email, b.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("60", limited.Headers.RetryAfter?.ToString());
        // Only sign-in attempts count: pages still open (the window itself runs on real time, so it is not waited out here).
        await c.PageAsync("/dashboard/signin");
    }
}

public sealed class SignInLimitSqliteTests(SignInLimitSqliteHost host) : SignInLimitTests<SignInLimitSqliteHost>(host);
public sealed class SignInLimitPostgresTests(SignInLimitPostgresHost host) : SignInLimitTests<SignInLimitPostgresHost>(host);
