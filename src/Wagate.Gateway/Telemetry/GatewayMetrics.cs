using System.Diagnostics.Metrics;
using Wagate.Contracts.Session.V1;
using Wagate.Contracts.Webhook.V1;
using Wagate.Gateway.Hosting;
using Wagate.ServiceDefaults;
using static Wagate.ServiceDefaults.ServiceDefaults;

namespace Wagate.Gateway.Telemetry;

/// <summary>The gateway's domain metrics, each defined here once (the README's table of metrics
/// lists them): the sessions of the cluster as this gateway sees them, and the webhook POSTs it
/// made. What workers measure (messages, sends, state writes) is theirs: the gateway does not
/// reference the worker.</summary>
public sealed class GatewayMetrics
{
    private static readonly IReadOnlyList<string> SessionStates = MetricLabels.Of<Session.Types.State>();

    private readonly TimedOutcomes _deliveries;
    private ClusterGateway? _cluster;

    public GatewayMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(TelemetryName);
        // Up to the sender's timeout, which cuts a POST off at ten seconds.
        _deliveries = new TimedOutcomes(meter, ("wagate.webhook.deliveries", "wagate.webhook.delivery"),
            "Webhook POSTs this gateway made, by outcome: succeeded, retrying (failed, tried again later), failed (failed for good).",
            "Time of one webhook POST, until the receiver answered or the timeout, by outcome.",
            [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
        meter.CreateObservableGauge("wagate.sessions", ObserveSessions, "{session}",
            "Sessions by state and the worker running them, from the statuses their owners publish, as the API shows them; every gateway sees the whole cluster, so aggregate replicas with max, not sum.");
    }

    /// <summary>A POST of a webhook delivery ended as <paramref name="outcome"/>: SUCCEEDED,
    /// PENDING (to be tried again) or FAILED.</summary>
    public void WebhookAttempt(WebhookDelivery.Types.State outcome, TimeSpan took) => _deliveries.Record(outcome switch
    {
        WebhookDelivery.Types.State.Succeeded => "succeeded",
        WebhookDelivery.Types.State.Pending => "retrying",
        _ => "failed",
    }, took);

    /// <summary>The sessions gauge reads <paramref name="cluster"/>'s watched statuses from now on.</summary>
    internal void Watch(ClusterGateway cluster) => Volatile.Write(ref _cluster, cluster);

    internal void Forget(ClusterGateway cluster) => Interlocked.CompareExchange(ref _cluster, null, cluster);

    private IEnumerable<Measurement<long>> ObserveSessions()
    {
        if (Volatile.Read(ref _cluster) is not { } cluster)
        {
            return [];
        }
        return cluster.Statuses.Items.Values
            .Select(cluster.LiveStatusOf)
            .GroupBy(live => (live.Snapshot.State, live.Worker))
            .Select(sessions => new Measurement<long>(sessions.Count(),
                new KeyValuePair<string, object?>("state", SessionStates[(int)sessions.Key.State]),
                new KeyValuePair<string, object?>("worker", sessions.Key.Worker)));
    }
}
