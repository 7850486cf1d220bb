using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Paylink.Assistant.Conversations;
using Paylink.Core;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Merchants;
using Paylink.Providers;
using Paylink.Server.Api;
using Paylink.Server.Dashboard;
using Paylink.Server.Pay;
using Paylink.Server.Webhooks;

namespace Paylink.Server.Hosting;

/// <summary>The server's composition root, kept out of Program.cs.</summary>
public static class ServerSetup
{
    public const string ReadyTag = "ready";

    /// <param name="overrides">Settings that win over the environment (the simulator's own database and clockwork).</param>
    public static WebApplicationBuilder AddPaylinkServer(this WebApplicationBuilder builder, IDictionary<string, string?>? overrides = null)
    {
        builder.Configuration.AddEnvironmentVariables("PAYLINK_");
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        var services = builder.Services;
        services.AddPaylinkCore(builder.Configuration);
        services.AddPaylinkProviders();
        services.AddPaylinkAssistant(builder.Configuration);
        services.AddOptions<PayPageOptions>().Bind(builder.Configuration.GetSection(PayPageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.AddScoped<ApiKeyAuth>();
        services.AddScoped<Idempotency>();
        // Leave Cyrillic readable in HTML (and smaller) instead of &#x…; entities.
        services.AddSingleton(HtmlEncoder.Create(UnicodeRanges.All));
        services.AddRazorComponents();
        services.AddPaylinkDashboard(builder.Configuration);
        services.AddProblemDetails();
        services.AddExceptionHandler<MalformedBodyHandler>();
        // The OpenAPI document describes bodies with these options; keep them as strict as JsonBody reads.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
        });
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Paylink API";
            doc.Info.Description = "Payment links for chats. Amounts are integers in minor units (kopecks). Auth: Authorization: Bearer <API key>.";
            return Task.CompletedTask;
        }));
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<JobBacklogHealthCheck>("jobs", tags: [ReadyTag]);
        services.AddHostedService<JobRunnerService>();
        builder.AddPaylinkTelemetry();
        services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, ct) =>
            {
                ctx.HttpContext.Response.Headers.RetryAfter = "60";
                ctx.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await ctx.HttpContext.Response.WriteAsync(PayTexts.For(ctx.HttpContext.Request).TooManyRequests, ct);
            };
            o.AddPolicy(PayPagesEndpoints.RateLimitPolicy, http =>
            {
                var limit = http.RequestServices.GetRequiredService<IOptions<PayPageOptions>>().Value.RateLimitPerMinute;
                if (limit == 0) return RateLimitPartition.GetNoLimiter("off");
                return RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });
        return builder;
    }

    public static WebApplication UsePaylinkServer(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        // Cookie sign-in exists only for the dashboard: the API (Bearer keys) and the pay page (hot path) skip it.
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/dashboard"), dash =>
        {
            dash.UseAuthentication();
            dash.UseAuthorization();
        });

        // Liveness: the process answers (no dependencies, so a database outage does not restart every
        // instance). Readiness: the database answers and the job backlog is not stuck.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteHealthAsync });
        app.MapPaylinkTelemetry();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapLanding();

        var api = app.MapGroup("/api/v1").AddEndpointFilter<ApiKeyAuth>();
        api.MapPaymentLinksApi();
        api.MapGatewayAccountsApi();
        api.MapMoneyApi();
        api.MapWebhookEndpointsApi();
        api.MapBookingsApi();
        api.MapCrmApi();
        api.MapCrmAccountsApi();
        api.MapSelfEmployedApi();
        api.MapPaymentsExportApi();
        api.MapMetricsApi();
        api.MapChannelAccountsApi();
        api.MapMessagingApi();
        api.MapAssistantApi();
        api.MapPersonalDataApi();
        api.MapDocumentsApi();
        api.MapInvoicesApi();
        api.MapStatementsApi();
        app.MapPayPages();
        app.MapDashboard();
        Chat.WebChatEndpoints.MapWebChat(app);
        app.MapGatewayWebhooks();
        app.MapCrmWebhooks();
        app.MapPaylinkProviders();

        app.Lifetime.ApplicationStarted.Register(() => DetectPublicUrl(app));
        return app;
    }

    /// <summary>Migrates (when configured) and seeds the demo merchant before the server takes requests.</summary>
    public static async Task PrepareAsync(this WebApplication app, CancellationToken ct = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        if (sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStart)
            await sp.GetRequiredService<Migrator>().MigrateAsync(ct);
        if (sp.GetRequiredService<IOptions<DemoOptions>>().Value.Seed)
        {
            var demo = await sp.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(ct);
            if (demo is { } d)
                app.Lifetime.ApplicationStarted.Register(() => PrintBanner(app, d));
        }
    }

    private static Task WriteHealthAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        }, PaylinkJson.Output));
    }

    private static void DetectPublicUrl(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null) return;
        address = address.Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal);
        app.Services.GetRequiredService<PublicUrls>().UseDetected(address);
    }

    private static void PrintBanner(WebApplication app, DemoSeeder.DemoSeed demo)
    {
        var (merchantId, apiKey) = (demo.MerchantId, demo.ApiKey);
        // ApplicationStarted callbacks run last-registered first: detect the listening address before printing it.
        DetectPublicUrl(app);
        var urls = app.Services.GetRequiredService<PublicUrls>();
        var dataDir = app.Services.GetRequiredService<IOptions<PaylinkOptions>>().Value.DataDir;
        Console.WriteLine($$"""

            Paylink is running with a demo merchant «Салон «Лаванда»» ({{merchantId}}).
              API:        {{urls.Base}}/api/v1   (OpenAPI: {{urls.Base}}/openapi/v1.json)
              Demo API key (also in {{Path.Combine(dataDir, DemoSeeder.KeyFileName)}}): {{apiKey}}
              Try:        curl -s -X POST {{urls.Base}}/api/v1/links -H "Authorization: Bearer {{apiKey}}" -H "Content-Type: application/json" -d '{"amount":250000,"currency":"RUB","description":"Маникюр с покрытием"}'
              Then open the "url" it returns and pay in the sandbox.
              Dashboard:  {{urls.Base}}/dashboard   sign in as {{demo.OwnerEmail}} with password {{demo.OwnerPassword}}
                          (shown once; a new one: paylink users reset-password --email {{demo.OwnerEmail}})
              Web chat:   {{urls.Base}}/chat/demo   (write as a client, e.g. «хочу на маникюр завтра в 15:00»: the assistant books and sends the invoice)

            """);
    }
}
