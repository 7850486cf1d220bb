using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Paylink.Core.Merchants;
using Paylink.Providers.Gateways.Sandbox;

namespace Paylink.IntegrationTests.Infrastructure;

/// <summary>
/// The real server in memory (WebApplicationFactory) on one test database, with a fake clock. The
/// sandbox acquirer's notifications travel as real HTTP requests through the test server.
/// </summary>
public class PaylinkHost(Db kind) : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 11, 18, 7, 0, 0, TimeSpan.Zero);

    private WebApplicationFactory<Program>? _factory;

    public FakeTimeProvider Clock { get; } = new(Start);
    public TestDatabase Database { get; private set; } = null!;
    public WebApplicationFactory<Program> Factory => _factory!;
    public IServiceProvider Services => Factory.Services;

    /// <summary>Extra settings a subclass wants (e.g. a low rate limit).</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    /// <summary>
    /// True: the server listens on a real loopback port (Kestrel) so a browser can reach it; the public base URL is
    /// then the detected address and the sandbox acquirer notifies over real HTTP. False: the in-memory TestServer.
    /// </summary>
    protected virtual bool RealListener => false;

    /// <summary>The address of the real listener (with <see cref="RealListener"/>).</summary>
    public string BaseUrl { get; private set; } = "http://localhost";

    /// <summary>Extra test services a subclass wants (log capture, fault injection).</summary>
    protected virtual void ConfigureServices(IServiceCollection services) { }

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(kind);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            foreach (var (k, v) in Database.Settings) b.UseSetting(k, v);
            if (!RealListener) b.UseSetting("PublicBaseUrl", "http://localhost");
            b.UseSetting("PayPage:RateLimitPerMinute", "100000");
            b.UseSetting("Dashboard:SignInRateLimitPerMinute", "100000");
            // Local fakes of T-Bank, SMTP, Bitrix24… listen on loopback; the guard tests prove refusal with this false.
            b.UseSetting("Outbound:AllowPrivateNetworks", "true");
            // Tests move the fake clock by minutes or hours; reconciliation runs only when a test calls it.
            b.UseSetting("Jobs:ReconcileInterval", "30.00:00:00");
            b.UseSetting("Jobs:ReconciliationReportInterval", "30.00:00:00");
            foreach (var (k, v) in ExtraSettings) b.UseSetting(k, v);
            b.ConfigureTestServices(s =>
            {
                s.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
                if (!RealListener) s.AddHttpClient(SandboxAcquirer.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Factory.Server.CreateHandler());
                ConfigureServices(s);
            });
        });
        if (RealListener)
        {
            _factory.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
            _factory.StartServer();
            BaseUrl = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
        }
        else _ = Factory.Server;   // start now, so migrations run before the first test
    }

    public HttpClient Client(string? apiKey = null)
    {
        var c = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (apiKey is not null) c.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        return c;
    }

    /// <summary>A new merchant (with a sandbox account) and its API key.</summary>
    public async Task<CreatedMerchant> NewMerchantAsync(string name = "Тестовый салон")
    {
        await using var scope = Services.CreateAsyncScope();
        var r = await scope.ServiceProvider.GetRequiredService<CreateMerchant>().HandleAsync(new CreateMerchantRequest(name), CancellationToken.None);
        return r.Value;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public sealed class SqliteHost() : PaylinkHost(Db.Sqlite);
public sealed class PostgresHost() : PaylinkHost(Db.Postgres);
