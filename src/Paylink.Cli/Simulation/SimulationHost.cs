using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Paylink.Core.Catalog;
using Paylink.Core.Common;
using Paylink.Core.Jobs;
using Paylink.Core.Merchants;
using Paylink.Server.Hosting;

namespace Paylink.Cli.Simulation;

/// <summary>A clock the simulation moves by hand: minutes of the scripted clients' lives pass in no time.</summary>
public sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
    public void MoveTo(DateTimeOffset at) { if (at > _now) _now = at; }
}

/// <summary>
/// The real Paylink server (API, web chat, pay pages, sandbox acquirer, assistant, jobs) on a loopback port
/// with its own SQLite file and a <see cref="SimulatedClock"/>. The background job runner is off: the
/// simulation drains due jobs after each step, so a run is the same for the same seed.
/// </summary>
public sealed class SimulationHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    public SimulatedClock Clock { get; }
    public HttpClient Http { get; }
    public string BaseUrl { get; }

    private SimulationHost(WebApplication app, SimulatedClock clock, string baseUrl)
    {
        _app = app;
        Clock = clock;
        BaseUrl = baseUrl;
        Http = NewClient();
    }

    public static async Task<SimulationHost> StartAsync(string dbFile, DateTimeOffset start, CancellationToken ct)
    {
        var clock = new SimulatedClock(start);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = ["--urls", "http://127.0.0.1:0"], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        // These win over PAYLINK_ environment settings: a simulation never touches a real database.
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "sqlite",
            ["Database:ConnectionString"] = $"Data Source={dbFile};Pooling=true;Default Timeout=30",
            ["DATA_DIR"] = Path.GetDirectoryName(Path.GetFullPath(dbFile)),
            ["Jobs:Enabled"] = "false",
            ["Demo:Seed"] = "false",
            ["PayPage:RateLimitPerMinute"] = "0",
            ["Assistant:Llm:Enabled"] = "false",
            ["PublicBaseUrl"] = null,
        };
        builder.Logging.ClearProviders();
        builder.AddPaylinkServer(settings);
        builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
        var app = builder.Build();
        app.UsePaylinkServer();
        await app.PrepareAsync(ct);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        app.Services.GetRequiredService<PublicUrls>().UseDetected(address);
        return new SimulationHost(app, clock, address);
    }

    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>Runs every due job (replies, messages, notifications, reminders) until none is left.</summary>
    public Task<int> DrainAsync() => Service<JobRunner>().DrainAsync();

    /// <summary>A merchant with the demo salon catalog; returns its id and an API client.</summary>
    public async Task<(string Id, HttpClient Api)> MerchantAsync(string name, CancellationToken ct)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<CreateMerchant>().HandleAsync(new CreateMerchantRequest(name, "Europe/Moscow", "RUB"), ct);
        if (!created.IsSuccess) throw new InvalidOperationException(created.Error!.Message);
        var imported = await scope.ServiceProvider.GetRequiredService<ImportCatalog>().HandleAsync(created.Value.Merchant.Id, DemoSeeder.SalonCatalog, ct);
        if (!imported.IsSuccess) throw new InvalidOperationException(imported.Error!.Message);
        var api = NewClient();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", created.Value.ApiKey);
        return (created.Value.Merchant.Id, api);
    }

    public static async Task<JsonElement> SendJsonAsync(HttpClient http, HttpMethod method, string url, object? body, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(method, url);
        if (body is not null) req.Content = new StringContent(JsonSerializer.Serialize(body, PaylinkJson.Output), Encoding.UTF8, "application/json");
        using var res = await http.SendAsync(req, ct);
        var text = await res.Content.ReadAsStringAsync(ct);
        if (!res.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {url} answered {(int)res.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal static bool IsRedirect(HttpStatusCode s) => s is HttpStatusCode.SeeOther or HttpStatusCode.Found or HttpStatusCode.Redirect;

    /// <summary>A client of the simulated server that sees redirects (pay page → checkout) instead of following them.</summary>
    private HttpClient NewClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(BaseUrl) };
}
