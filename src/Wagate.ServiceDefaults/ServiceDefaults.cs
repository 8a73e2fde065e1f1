using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Prometheus;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Wagate.Settings;

namespace Wagate.ServiceDefaults;

/// <summary>The defaults every host of the platform starts from, so that operators read the same
/// logs, traces, metrics and health from each process.</summary>
public static class ServiceDefaults
{
    /// <summary>The traces and meters of our own code (beside ASP.NET Core's, HttpClient's, gRPC's
    /// and Npgsql's).</summary>
    public const string TelemetryName = "Wagate";

    /// <summary>Serilog (text, or JSON with WAGATE_LOG_FORMAT=json), and OpenTelemetry traces and
    /// metrics named <paramref name="serviceName"/>: exported over OTLP when the standard
    /// OTEL_EXPORTER_OTLP_ENDPOINT is set (OTEL_EXPORTER_OTLP_PROTOCOL and the other OTEL_*
    /// settings apply), and carried to the processes this one calls (W3C trace context), so one
    /// request is one trace across gateway and worker. <paramref name="tracing"/> adds what only this
    /// host has (its database client's instrumentation: the engines and the sandbox have none).</summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName, Action<TracerProviderBuilder>? tracing = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = new SettingReader(name => builder.Configuration[name]);
        var json = LogFormat.IsJson(settings);
        MetricsExposition.Configure();
        builder.Host.UseSerilog((_, logger) => ConfigureLogging(logger, json));

        // Without a collector to send them to, recording spans for every request would be work for
        // nobody: /metrics does not need OpenTelemetry (prometheus-net reads the meters itself).
        if (settings.Uri("OTEL_EXPORTER_OTLP_ENDPOINT") is null)
        {
            return builder;
        }
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}"))
            .WithTracing(traces =>
            {
                traces.AddSource(TelemetryName)
                    // Probes and scrapes every few seconds would drown the spans people look for.
                    .AddAspNetCoreInstrumentation(aspNet => aspNet.Filter = context => !IsOperationsPath(context.Request.Path))
                    .AddGrpcClientInstrumentation()
                    .AddHttpClientInstrumentation();
                tracing?.Invoke(traces);
            })
            .WithMetrics(metrics => metrics
                .AddMeter(TelemetryName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                // The runtime's own meter (.NET 9+): what OpenTelemetry's runtime package used to add.
                .AddMeter("System.Runtime"))
            .UseOtlpExporter();
        return builder;
    }

    /// <summary>The HTTP/1.1 operations endpoints: <c>/healthz</c> (the process answers),
    /// <c>/readyz</c> (the checks tagged "ready" pass) and <c>/metrics</c> (Prometheus).</summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapMetrics("/metrics");
        return app;
    }

    private static bool IsOperationsPath(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/metrics")
        || path.StartsWithSegments("/grpc.health.v1.Health");

    private static void ConfigureLogging(LoggerConfiguration logger, bool json)
    {
        logger.MinimumLevel.Information()
            // A line per request and per endpoint would bury what the hosts themselves say.
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Grpc", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .Enrich.FromLogContext();
        if (json)
        {
            logger.WriteTo.Console(new RenderedCompactJsonFormatter());
        }
        else
        {
            logger.WriteTo.Console(
                outputTemplate: "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Message:lj} {RequestId}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
