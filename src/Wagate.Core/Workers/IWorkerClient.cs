using Wagate.Contracts.Session.V1;
using Wagate.Core;

namespace Wagate.Core.Workers;

/// <summary>What the gateway asks of a worker. A worker in the same process implements it
/// directly (<see cref="WorkerNode"/>); a remote one through the internal WorkerService.</summary>
public interface IWorkerClient
{
    /// <summary>Resource name, <c>workers/{worker}</c>.</summary>
    string Name { get; }

    int SessionCount { get; }

    int Capacity { get; }

    /// <summary>Starts the session unless it already runs here.</summary>
    Task StartSessionAsync(SessionKey session, Engine engine, long fencingToken, CancellationToken cancellationToken = default);

    /// <summary>Stops the session, keeping its stored state.</summary>
    Task StopSessionAsync(SessionKey session, CancellationToken cancellationToken = default);

    /// <summary>Unlinks the device and wipes its state. The session's last change is LOGGED_OUT;
    /// then the worker forgets it (a restart starts it afresh). Returns that last snapshot; null,
    /// with nothing done, when it does not run here.</summary>
    Task<SessionSnapshot?> LogoutSessionAsync(SessionKey session, CancellationToken cancellationToken = default);

    /// <summary>Stops the session and wipes its state, fenced by the token it ran with; the worker
    /// forgets it. Nothing when it does not run here.</summary>
    Task DeleteSessionAsync(SessionKey session, CancellationToken cancellationToken = default);

    /// <summary>Wipes the state of a session that runs nowhere, fenced by
    /// <paramref name="fencingToken"/>: the caller holds the session's ownership for the wipe, so
    /// no older owner's write brings the state back.</summary>
    Task WipeSessionAsync(SessionKey session, long fencingToken, CancellationToken cancellationToken = default);

    /// <summary>Logs out a session that runs nowhere, as its owner would, fenced by
    /// <paramref name="fencingToken"/> like <see cref="WipeSessionAsync"/>: wipes its state, fails
    /// what it still had queued and records it LOGGED_OUT (its row and a SESSION_STATE_CHANGED
    /// event). No connection tells WhatsApp: the phone lists the device until it is removed there.</summary>
    Task LogoutStoppedSessionAsync(SessionKey session, long fencingToken, CancellationToken cancellationToken = default);

    /// <summary>Tells the session that new messages wait in its outbox. A hint only: the outbox is
    /// read again every few seconds anyway, and by the next owner; nothing when it does not run here.</summary>
    Task DispatchMessagesAsync(SessionKey session, CancellationToken cancellationToken = default);

    /// <summary>Null when the session does not run here.</summary>
    Task<SessionSnapshot?> GetSnapshotAsync(SessionKey session, CancellationToken cancellationToken = default);

    /// <summary>Null when the session is not showing QR codes.</summary>
    Task<PairingCode?> RequestPairingCodeAsync(SessionKey session, string phoneNumber, CancellationToken cancellationToken = default);

    /// <summary>Sends read receipts to <paramref name="chat"/> for the session's received messages
    /// <paramref name="messageIds"/> (WhatsApp's ids). False when the session is not connected
    /// here: nothing was sent.</summary>
    Task<bool> MarkReadAsync(SessionKey session, string chat, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default);

    /// <summary>The session's snapshot and then its changes; empty when it does not run here.</summary>
    IAsyncEnumerable<SessionChange> WatchAsync(SessionKey session, CancellationToken cancellationToken = default);
}

/// <summary>Receives every state change of every session on a worker, to record it.</summary>
public interface ISessionStatusSink
{
    /// <param name="fencingToken">The token the session runs under on <paramref name="worker"/>:
    /// a cluster records the change only while that token still owns the session.</param>
    void Report(string worker, SessionKey session, long fencingToken, SessionSnapshot snapshot);
}
