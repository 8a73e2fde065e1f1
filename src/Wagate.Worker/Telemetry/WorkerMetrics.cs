using System.Diagnostics.Metrics;
using Wagate.Contracts.Message.V1;
using Wagate.Core;
using Wagate.ServiceDefaults;
using Wagate.Worker.Runtime;
using static Wagate.ServiceDefaults.ServiceDefaults;

namespace Wagate.Worker.Telemetry;

/// <summary>The worker's domain metrics, each defined here once (the README's table of metrics
/// lists them): what the message ledger recorded, how long messages took to be sent, how session
/// state was persisted, and the sessions and outboxes of the workers it watches. Recording on a
/// hot path is a counter add: labels are strings from tables made once, so nothing is allocated.
/// A cluster worker has one instance; a single node's workers share one, on the gateway's meter
/// factory, so its /metrics shows theirs beside the gateway's.</summary>
public sealed class WorkerMetrics
{
    /// <summary>The outcomes of a try at writing session state (the label <c>outcome</c>).</summary>
    internal const string Written = "written", Retrying = "retrying", GaveUp = "failed", FencedOut = "fenced_out";

    private static readonly IReadOnlyList<string> Directions = MetricLabels.Of<Message.Types.Direction>();
    private static readonly IReadOnlyList<string> States = MetricLabels.Of<Message.Types.State>();

    private readonly Counter<long> _messages;
    private readonly Histogram<double> _sendSeconds;
    private readonly TimedOutcomes _stateWrites;
    private readonly Counter<long> _stateCommits;
    private readonly Counter<long> _stateDeltas;
    private readonly Counter<long> _stateSnapshots;
    private readonly Lock _gate = new();
    private (string Name, IReadOnlyDictionary<SessionKey, SessionRuntime> Sessions)[] _workers = [];

    public WorkerMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(TelemetryName);
        _messages = meter.CreateCounter<long>("wagate.messages", "{message}",
            "Messages whose state the worker recorded, by direction and the state reached (sent, delivered, read, played, failed; received for inbound); failures also by reason.");
        // Accepted to SENT includes the wait in the session's paced queue (a second or more per
        // message ahead of it by default), hence buckets up to a quarter of an hour.
        _sendSeconds = meter.CreateHistogram<double>("wagate.message.send", "s",
            "Time from the gateway accepting an outbound message to WhatsApp's server acknowledging it (SENT), as recorded.", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900] });
        _stateWrites = new TimedOutcomes(meter, ("wagate.state.writes", "wagate.state.write"),
            "Tries at persisting session state (one write carries every change made meanwhile), by outcome: written, retrying (failed, tried again), failed (given up: the session stops), fenced_out (another worker owns the session).",
            "Time of one try at persisting session state, by outcome.",
            [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
        _stateCommits = meter.CreateCounter<long>("wagate.state.commits", "{commit}",
            "Database transactions that stored session state deltas; each carries the deltas of every session that changed meanwhile.");
        _stateDeltas = meter.CreateCounter<long>("wagate.state.deltas", "{delta}",
            "Session state deltas handed to those transactions (one per session per write).");
        _stateSnapshots = meter.CreateCounter<long>("wagate.state.snapshots", "{object}",
            "Snapshots of session state written to the blob store, each replacing the deltas before it.");
        meter.CreateObservableGauge("wagate.worker.sessions", () => Observe(sessions => sessions.Count), "{session}",
            "Sessions the worker runs, in any state.");
        meter.CreateObservableGauge("wagate.outbox.depth", () => Observe(sessions => sessions.Values.Sum(session => session.OutboxDepth)), "{message}",
            "Outbound messages of the worker's connected sessions waiting to be handed to WhatsApp: queued, read from the outbox, held back by pacing.");
    }

    /// <summary>The ledger recorded <paramref name="changed"/> in its new state (a write that
    /// changed nothing is not counted: a receipt reported twice counts once). Reaching SENT also
    /// times the send, from the message's acceptance to the server's acknowledgement.</summary>
    public void Recorded(Message changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var direction = new KeyValuePair<string, object?>("direction", Directions[(int)changed.Direction]);
        var state = new KeyValuePair<string, object?>("state", States[(int)changed.State]);
        if (changed.State == Message.Types.State.Failed)
        {
            _messages.Add(1, direction, state, new KeyValuePair<string, object?>("reason", changed.FailureReason));
        }
        else
        {
            _messages.Add(1, direction, state);
        }
        if (changed is { State: Message.Types.State.Sent, SendTime: { } sent, CreateTime: { } created })
        {
            // Two clocks (the gateway's and the network's): a skew must not record a negative time.
            _sendSeconds.Record(Math.Max(0, (sent.ToDateTime() - created.ToDateTime()).TotalSeconds));
        }
    }

    /// <summary>One try at writing a session's state ended with <paramref name="outcome"/>.</summary>
    internal void StateWrite(string outcome, TimeSpan took) => _stateWrites.Record(outcome, took);

    /// <summary>One database transaction stored <paramref name="deltas"/> state deltas.</summary>
    internal void StateCommitted(int deltas)
    {
        _stateCommits.Add(1);
        _stateDeltas.Add(deltas);
    }

    /// <summary>A session's state was compacted into a snapshot object.</summary>
    internal void StateCompacted() => _stateSnapshots.Add(1);

    /// <summary>From now on the gauges report the worker <paramref name="name"/>, whose running
    /// sessions are <paramref name="sessions"/>.</summary>
    internal void Watch(string name, IReadOnlyDictionary<SessionKey, SessionRuntime> sessions)
    {
        lock (_gate)
        {
            _workers = [.. _workers, (name, sessions)];
        }
    }

    internal void Forget(IReadOnlyDictionary<SessionKey, SessionRuntime> sessions)
    {
        lock (_gate)
        {
            _workers = [.. _workers.Where(worker => worker.Sessions != sessions)];
        }
    }

    private IEnumerable<Measurement<long>> Observe(Func<IReadOnlyDictionary<SessionKey, SessionRuntime>, int> value) =>
        Volatile.Read(ref _workers).Select(worker => new Measurement<long>(value(worker.Sessions), new KeyValuePair<string, object?>("worker", worker.Name)));
}
