using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Webhooks;

namespace Paylink.Server.Hosting;

/// <summary>Section <c>Observability</c>.</summary>
public sealed class ObservabilityOptions
{
    public const string Section = "Observability";

    /// <summary>Serve Prometheus metrics.</summary>
    public bool MetricsEnabled { get; set; } = true;

    /// <summary>Path of the Prometheus scrape endpoint.</summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>OTLP endpoint for traces and metrics (e.g. http://otel-collector:4317); empty: no export.
    /// Traces are recorded only when set.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Service name reported in telemetry.</summary>
    public string ServiceName { get; set; } = "paylink";
}

/// <summary>OpenTelemetry: HTTP server and client, database, jobs and webhooks, runtime; Prometheus and OTLP.</summary>
public static class Telemetry
{
    public static readonly string[] Meters = [JobMetrics.Name, WebhookMetrics.Name, DbTelemetryInterceptor.Name, Paylink.Core.Metrics.BusinessMetrics.Name,
        Paylink.Core.PaymentLinks.LinkCreationBatcher.Name];
    public static readonly string[] Sources = [JobMetrics.Name, DbTelemetryInterceptor.Name, Paylink.Core.PaymentLinks.LinkCreationBatcher.Name];

    public static void AddPaylinkTelemetry(this WebApplicationBuilder builder)
    {
        var o = new ObservabilityOptions();
        builder.Configuration.GetSection(ObservabilityOptions.Section).Bind(o);
        builder.Services.AddOptions<ObservabilityOptions>().Bind(builder.Configuration.GetSection(ObservabilityOptions.Section))
            .Validate(x => x.MetricsPath.StartsWith('/'), "Observability:MetricsPath must start with '/'.").ValidateOnStart();
        var otel = builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService(o.ServiceName));
        otel.WithMetrics(m =>
        {
            m.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation().AddMeter(Meters);
            if (o.MetricsEnabled) m.AddPrometheusExporter();
            if (!string.IsNullOrEmpty(o.OtlpEndpoint)) m.AddOtlpExporter(x => x.Endpoint = new Uri(o.OtlpEndpoint));
        });
        if (!string.IsNullOrEmpty(o.OtlpEndpoint))
            otel.WithTracing(t => t
                .AddAspNetCoreInstrumentation(x => x.Filter = http => !http.Request.Path.StartsWithSegments(o.MetricsPath))
                .AddHttpClientInstrumentation()
                .AddSource(Sources)
                .AddOtlpExporter(x => x.Endpoint = new Uri(o.OtlpEndpoint)));
    }

    public static void MapPaylinkTelemetry(this WebApplication app)
    {
        var o = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ObservabilityOptions>>().Value;
        if (o.MetricsEnabled) app.MapPrometheusScrapingEndpoint(o.MetricsPath);
    }
}
