using Prometheus;

namespace Wagate.ServiceDefaults;

/// <summary>What prometheus-net puts on <c>/metrics</c> beyond our own metrics, chosen so that
/// <c>promtool check metrics</c> finds nothing to warn about.</summary>
internal static class MetricsExposition
{
    private static readonly Lock Gate = new();
    private static bool _configured;

    /// <summary>Once per process, before the first scrape (prometheus-net reads these options
    /// when it first collects; tests start several hosts in one process).</summary>
    public static void Configure()
    {
        lock (Gate)
        {
            if (_configured)
            {
                return;
            }
            _configured = true;
        }
        // Since .NET 9 the runtime publishes its statistics as meters (System.Runtime), which the
        // meter adapter exports; the event counter adapter adds nothing but its own gauge, which
        // prometheus-net 8.2.1 misnames prometheus_net_eventcounteradapter_sources_connected_total.
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressEventCounters = true });
        // The runtime and Npgsql name gauges such as dotnet.thread_pool.thread.count and
        // db.client.connection.count after OpenTelemetry's conventions, which end in ".count"; in
        // Prometheus a _count suffix belongs to histograms and summaries only, and prometheus-net
        // cannot rename an instrument. Those few are left out of /metrics (process_num_threads stands
        // in for the thread count; OTLP still carries them); every other meter is exported.
        // Our own meter is exported by MeterExport instead, as the Prometheus types its instruments are.
        Metrics.ConfigureMeterAdapter(options => options.InstrumentFilterPredicate = instrument =>
            !instrument.Name.EndsWith(".count", StringComparison.Ordinal) && instrument.Meter.Name != ServiceDefaults.TelemetryName);
        MeterExport.Start(Metrics.DefaultRegistry);
    }
}
