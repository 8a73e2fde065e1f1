using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Wagate.Cluster;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Core.Workers;
using Wagate.Data.Messages;
using Wagate.Engines;
using Wagate.Worker.Messaging;
using Wagate.Worker.State;
using Wagate.Worker.Telemetry;

namespace Wagate.Worker.Runtime;

/// <summary>A worker: runs many sessions, each in its own <see cref="SessionRuntime"/>, with
/// the engines and the state store it was given, and their messages through
/// <see cref="WorkerMessaging"/>, which a worker cannot do without: every session claims its row
/// in the message ledger before it runs, and what it receives is stored before it is acknowledged.
/// With <paramref name="metrics"/> its sessions, their messages and their state writes are measured.</summary>
public sealed class WorkerNode(
    string name,
    int capacity,
    IEnumerable<IEngine> engines,
    ISessionStateStore store,
    ISessionStatusSink status,
    WorkerMessaging messaging,
    ReconnectBackoff backoff,
    TimeProvider clock,
    ILoggerFactory loggers,
    WorkerMetrics? metrics = null) : IWorkerClient, IAsyncDisposable
{
    private readonly Dictionary<Engine, IEngine> _engines = engines.ToDictionary(e => e.Kind);
    private readonly ConcurrentDictionary<SessionKey, SessionRuntime> _sessions = WatchedBy(metrics, name);
    private readonly WorkerMetrics? _metrics = metrics;
    private readonly ILogger _logger = loggers.CreateLogger<WorkerNode>();

    public string Name { get; } = name;

    public int Capacity => capacity;

    public int SessionCount => _sessions.Count;

    /// <summary>The sessions this worker runs now.</summary>
    public IReadOnlyCollection<SessionKey> Sessions => [.. _sessions.Keys];

    /// <summary>A session that cannot exist (tenant ids are generated, and never this), for <see cref="WarmUpAsync"/>.</summary>
    private static readonly SessionKey Nobody = new("warm-up", "warm-up");

    /// <summary>Runs the database paths of a takeover once for a session that does not exist (a
    /// claim, a state load, an outbox read, a status report, all refused or empty), so that a
    /// fresh worker's first takeover does not also pay for building EF Core's model and compiling
    /// each query and its code: a profile of the failover benchmark had the two idle workers that
    /// took a dead one's thousand sessions spending about 40% of their CPU in the JIT, much of it
    /// under these calls. Nothing is written.</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken = default)
    {
        var ledger = messaging.Ledger;
        await ledger.ClaimSessionAsync(Nobody.TenantId, Nobody.SessionId, 1, cancellationToken);
        await store.LoadAsync(Nobody, cancellationToken);
        await ledger.QueuedAsync(Nobody.TenantId, Nobody.SessionId, 1, cancellationToken);
        await ledger.RecordStatusesAsync(Nobody.TenantId, Nobody.SessionId, 1,
            [new StatusReport("warm-up", Message.Types.State.Sent, clock.GetUtcNow().UtcDateTime)], cancellationToken);
    }

    public Task StartSessionAsync(SessionKey session, Engine engine, long fencingToken, CancellationToken cancellationToken = default)
    {
        if (!_engines.TryGetValue(engine, out var implementation))
        {
            throw new InvalidOperationException($"{Name} has no {engine} engine.");
        }
        var runtime = _sessions.GetOrAdd(session, key => new SessionRuntime(key, implementation, store, fencingToken, backoff, clock,
            loggers.CreateLogger<SessionRuntime>(), (k, snapshot) => status.Report(Name, k, fencingToken, snapshot),
            new SessionMessaging(key, fencingToken, messaging, clock, loggers.CreateLogger<SessionMessaging>(), _metrics),
            _metrics));
        if (runtime.Start())
        {
            _logger.LogInformation("Session {Session} started on {Worker}", session, Name);
        }
        return Task.CompletedTask;
    }

    public async Task StopSessionAsync(SessionKey session, CancellationToken cancellationToken = default)
    {
        if (_sessions.TryRemove(session, out var runtime))
        {
            await runtime.DisposeAsync();
        }
    }

    /// <summary>Nothing when the session does not run here: one that runs nowhere is wiped with
    /// <see cref="WipeSessionAsync"/>, under a token its caller holds.</summary>
    public async Task<SessionSnapshot?> LogoutSessionAsync(SessionKey session, CancellationToken cancellationToken = default)
    {
        if (!_sessions.TryGetValue(session, out var runtime))
        {
            return null;
        }
        await runtime.LogoutAsync(cancellationToken);
        var last = runtime.Snapshot;
        // A logged-out session keeps no runtime: restarting creates a fresh one.
        if (_sessions.TryRemove(session, out var removed))
        {
            await removed.DisposeAsync();
        }
        return last;
    }

    /// <summary>Stops the session and wipes its state under the token it ran with, so a worker
    /// that lost it wipes nothing of the new owner's. Nothing when it does not run here.</summary>
    public async Task DeleteSessionAsync(SessionKey session, CancellationToken cancellationToken = default)
    {
        if (!_sessions.TryRemove(session, out var runtime))
        {
            return;
        }
        await runtime.DisposeAsync();
        try
        {
            await store.WipeAsync(session, runtime.FencingToken, cancellationToken);
        }
        catch (FencedOutException fencedOut)
        {
            _logger.LogWarning(fencedOut, "{Session} is owned by another worker now: its state is theirs to wipe", session);
        }
    }

    /// <remarks>Claims the session's row under the token first, where the state's writes are fenced.</remarks>
    public async Task WipeSessionAsync(SessionKey session, long fencingToken, CancellationToken cancellationToken = default)
    {
        if (!await messaging.Ledger.ClaimSessionAsync(session.TenantId, session.SessionId, fencingToken, cancellationToken))
        {
            throw new FencedOutException($"{session} is owned by another writer now; nothing was wiped under fencing token {fencingToken}.");
        }
        await store.WipeAsync(session, fencingToken, cancellationToken);
    }

    /// <remarks>Claims the session's row under the token first, as a runtime does on taking a
    /// session, so the failures and the state are written by its owner of the moment; a newer
    /// owner fences the whole logout out (FencedOutException).</remarks>
    public async Task LogoutStoppedSessionAsync(SessionKey session, long fencingToken, CancellationToken cancellationToken = default)
    {
        await using var sessionMessaging = new SessionMessaging(session, fencingToken, messaging, clock, loggers.CreateLogger<SessionMessaging>(), _metrics);
        if (!await sessionMessaging.ClaimAsync(cancellationToken))
        {
            throw new FencedOutException($"{session} is owned by another writer now; it was not logged out under fencing token {fencingToken}.");
        }
        await store.WipeAsync(session, fencingToken, cancellationToken);
        var now = clock.GetUtcNow();
        var loggedOut = new SessionSnapshot(Session.Types.State.LoggedOut, "", SessionProblem.LogoutAt(now), now, QrCode: null);
        if (!await sessionMessaging.FailQueuedAsync(cancellationToken)
            || !await messaging.Ledger.RecordSessionEventAsync(session.TenantId, session.SessionId, fencingToken,
                SessionEventRecorder.StateChanged(session, loggedOut), cancellationToken))
        {
            throw new FencedOutException($"{session} is owned by another writer now; it was not logged out under fencing token {fencingToken}.");
        }
        _logger.LogInformation("Session {Session}, which ran nowhere, was logged out by {Worker}", session, Name);
    }

    public Task DispatchMessagesAsync(SessionKey session, CancellationToken cancellationToken = default)
    {
        if (_sessions.TryGetValue(session, out var runtime))
        {
            runtime.NudgeOutbox();
        }
        return Task.CompletedTask;
    }

    public Task<SessionSnapshot?> GetSnapshotAsync(SessionKey session, CancellationToken cancellationToken = default) =>
        Task.FromResult(_sessions.TryGetValue(session, out var runtime) ? runtime.Snapshot : null);

    public Task<PairingCode?> RequestPairingCodeAsync(SessionKey session, string phoneNumber, CancellationToken cancellationToken = default) =>
        _sessions.TryGetValue(session, out var runtime)
            ? runtime.RequestPairingCodeAsync(phoneNumber, cancellationToken)
            : Task.FromResult<PairingCode?>(null);

    public Task<bool> MarkReadAsync(SessionKey session, string chat, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default) =>
        _sessions.TryGetValue(session, out var runtime)
            ? runtime.MarkReadAsync(chat, messageIds, cancellationToken)
            : Task.FromResult(false);

    public async IAsyncEnumerable<SessionChange> WatchAsync(SessionKey session, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!_sessions.TryGetValue(session, out var runtime))
        {
            yield break;
        }
        await foreach (var change in runtime.WatchAsync(cancellationToken))
        {
            yield return change;
        }
    }

    /// <summary>The sessions this worker will run, which the gauges of <paramref name="metrics"/>
    /// read (how many, and their outboxes) from its creation on.</summary>
    private static ConcurrentDictionary<SessionKey, SessionRuntime> WatchedBy(WorkerMetrics? metrics, string worker)
    {
        var sessions = new ConcurrentDictionary<SessionKey, SessionRuntime>();
        metrics?.Watch(worker, sessions);
        return sessions;
    }

    public async ValueTask DisposeAsync()
    {
        _metrics?.Forget(_sessions);
        await Task.WhenAll(_sessions.Values.Select(r => r.DisposeAsync().AsTask()));
        _sessions.Clear();
    }
}
