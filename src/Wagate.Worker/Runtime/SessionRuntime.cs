using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Wagate.Cluster;
using Wagate.Core;
using Wagate.Engines;
using Wagate.WhatsApp;
using Wagate.Worker.Messaging;
using Wagate.Worker.State;
using Wagate.Worker.Telemetry;
using SessionStateEnum = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Worker.Runtime;

/// <summary>Runs one session on this worker: connects its engine from the stored state,
/// persists state changes before they are acknowledged, shows QR codes, reconnects with backoff
/// after a lost connection, and stops for good (waiting for a restart) after a logout, a
/// replacement by another connection, exhausted QR codes, corrupted state, or a state write that
/// failed or was refused because another worker owns the session now.</summary>
public sealed class SessionRuntime : IAsyncDisposable
{
    private static readonly TimeSpan PairingCodePatience = TimeSpan.FromSeconds(15);

    private readonly SessionKey _key;
    private readonly IEngine _engine;
    private readonly ISessionStateStore _store;
    private readonly long _fencingToken;
    private readonly ReconnectBackoff _backoff;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Action<SessionKey, SessionSnapshot> _onChange;
    private readonly SessionMessaging _messaging;
    private readonly WorkerMetrics? _metrics;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly SessionWatchers _watchers;
    private IEngineConnection? _connection;
    private TaskCompletionSource<PairingCode>? _pairingCode;
    private bool _logoutRequested;
    private Task _run = Task.CompletedTask;
    private int _started;

    public SessionRuntime(
        SessionKey key, IEngine engine, ISessionStateStore store, long fencingToken, ReconnectBackoff backoff,
        TimeProvider clock, ILogger logger, Action<SessionKey, SessionSnapshot> onChange, SessionMessaging messaging,
        WorkerMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(messaging);
        _messaging = messaging;
        _metrics = metrics;
        _key = key;
        _engine = engine;
        _store = store;
        _fencingToken = fencingToken;
        _backoff = backoff;
        _clock = clock;
        _logger = logger;
        _onChange = onChange;
        _watchers = new SessionWatchers(new SessionSnapshot(SessionStateEnum.Starting, "", null, clock.GetUtcNow(), null), clock);
    }

    public SessionKey Key => _key;

    /// <summary>The token this runtime's writes and wipes are fenced with.</summary>
    public long FencingToken => _fencingToken;

    public SessionSnapshot Snapshot => _watchers.Current;

    /// <summary>Outbound messages waiting to be handed to WhatsApp (see <see cref="SessionMessaging.OutboxDepth"/>).</summary>
    public int OutboxDepth => _messaging.OutboxDepth;

    /// <summary>Completes when the session has stopped running (terminal state or stop).</summary>
    public Task Completion => _run;

    /// <summary>Starts the run once; later calls do nothing and return false.</summary>
    public bool Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return false;
        }
        _run = Task.Run(() => RunAsync(_stop.Token));
        return true;
    }

    /// <summary>The current snapshot, then every change, until the session is disposed or the
    /// caller stops reading.</summary>
    public IAsyncEnumerable<SessionChange> WatchAsync(CancellationToken cancellationToken = default) => _watchers.WatchAsync(cancellationToken);

    /// <summary>Sends read receipts for received messages; false when the session is not
    /// connected (nothing was sent).</summary>
    public async Task<bool> MarkReadAsync(string chat, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        IEngineConnection? connection;
        lock (_gate)
        {
            connection = _watchers.Current.State == SessionStateEnum.Connected ? _connection : null;
        }
        if (connection is null)
        {
            return false;
        }
        await connection.MarkReadAsync(chat, messageIds, cancellationToken);
        return true;
    }

    /// <summary>Asks the engine for a pairing code. Null when the session is not showing QR
    /// codes (already linked, or not connected).</summary>
    public async Task<PairingCode?> RequestPairingCodeAsync(string phoneNumber, CancellationToken cancellationToken)
    {
        IEngineConnection? connection;
        TaskCompletionSource<PairingCode> waiter;
        lock (_gate)
        {
            connection = _connection;
            if (connection is null || _watchers.Current.State != SessionStateEnum.ScanQrCode)
            {
                return null;
            }
            waiter = _pairingCode = new TaskCompletionSource<PairingCode>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        await connection.RequestPairingCodeAsync(phoneNumber, cancellationToken);
        return await waiter.Task.WaitAsync(PairingCodePatience, cancellationToken);
    }

    /// <summary>Unlinks the device and wipes its state. Works in any state: a session that is
    /// not connected is simply stopped and wiped.</summary>
    public async Task LogoutAsync(CancellationToken cancellationToken)
    {
        IEngineConnection? connection;
        lock (_gate)
        {
            _logoutRequested = true;
            connection = _watchers.Current.State == SessionStateEnum.Connected ? _connection : null;
        }
        if (connection is not null)
        {
            await connection.LogoutAsync(cancellationToken);
            await _run.WaitAsync(cancellationToken);
            return;
        }
        await StopAsync();
        if (!await TryWipeAsync(cancellationToken))
        {
            return;
        }
        await FailQueuedAsync(cancellationToken);
        Publish(s => s with { State = SessionStateEnum.LoggedOut, PhoneNumber = "", QrCode = null, LastError = SessionProblem.LogoutAt(_clock.GetUtcNow()) });
    }

    /// <summary>Wipes the stored state under this runtime's token. False, with nothing wiped, when
    /// another worker owns the session now: the session then stops here as one whose ownership is lost.</summary>
    public async Task<bool> TryWipeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _store.WipeAsync(_key, _fencingToken, cancellationToken);
            return true;
        }
        catch (FencedOutException fencedOut)
        {
            _logger.LogWarning(fencedOut, "{Session} is owned by another worker now; its state was not wiped here", _key);
            Publish(s => s with { State = SessionStateEnum.Disconnected, QrCode = null, LastError = Problem(SessionProblem.OwnershipLost,
                "Another worker took the session over; nothing was wiped here.", 0) });
            return false;
        }
    }

    /// <summary>Stops the session and keeps its credentials, so it can resume elsewhere.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        IEngineConnection? connection;
        lock (_gate)
        {
            connection = _connection;
        }
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
        await _run;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _messaging.DisposeAsync();
        _watchers.Complete();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        try
        {
            if (!await ClaimAsync(_messaging, stop))
            {
                // A newer owner has claimed the session in the message ledger, or it was deleted.
                Publish(s => s with { State = SessionStateEnum.Disconnected, QrCode = null, LastError = Problem(SessionProblem.OwnershipLost,
                    "Another worker took the session over; stopped here without connecting.", 0) });
                return;
            }
            var state = await LoadStateAsync(stop);
            var attempt = 0;
            while (!stop.IsCancellationRequested)
            {
                Publish(s => s with { State = state.IsEmpty ? SessionStateEnum.Starting : SessionStateEnum.Connecting, QrCode = null });
                var outcome = await RunConnectionAsync(state, stop);
                if (outcome.Opened)
                {
                    attempt = 0;
                }
                if (stop.IsCancellationRequested)
                {
                    return;
                }
                var next = await ContinueAfterAsync(outcome, state, stop);
                if (next is CloseAction.Stop or CloseAction.WipeAndStop)
                {
                    return;
                }
                if (next == CloseAction.ReconnectAfterBackoff)
                {
                    await Task.Delay(_backoff.Delay(attempt++), _clock, stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped: the credentials stay stored for the next owner.
        }
        catch (Exception exception)
        {
            _logger.LogError(exception, "Session {Session} failed", _key);
            Publish(s => s with { State = SessionStateEnum.Failed, QrCode = null, LastError = Problem("INTERNAL", "The session failed unexpectedly.", 0) });
        }
    }

    private sealed record ConnectionOutcome(EngineEvent.Closed? Closed, bool Opened, Ending? Final);

    /// <summary>A connection that ended the run for good: the state the session waits in for a
    /// restart, and why.</summary>
    private sealed record Ending(SessionStateEnum State, SessionProblem Problem);

    /// <summary>Carries out what follows a closed connection (<see cref="ClosePolicy"/>).</summary>
    private async Task<CloseAction> ContinueAfterAsync(ConnectionOutcome outcome, SessionState state, CancellationToken stop)
    {
        if (outcome.Final is { } final)
        {
            Publish(s => s with { State = final.State, QrCode = null, LastError = final.Problem });
            return CloseAction.Stop;
        }
        var closed = outcome.Closed!;
        var decision = ClosePolicy.Decide(closed, _logoutRequested);
        if (decision.Action == CloseAction.WipeAndStop)
        {
            if (!await TryWipeAsync(stop))
            {
                return CloseAction.Stop;
            }
            await FailQueuedAsync(stop);
            foreach (var key in state.Values.Keys.ToList())
            {
                state.Apply(new StateDelta(new Dictionary<string, byte[]?> { [key] = null }));
            }
        }
        if (decision.State is { } next)
        {
            Publish(s => s with
            {
                State = next,
                PhoneNumber = decision.Action == CloseAction.WipeAndStop ? "" : s.PhoneNumber,
                QrCode = null,
                LastError = Problem(decision.ProblemReason, decision.ProblemMessage, closed.Code),
            });
        }
        return decision.Action;
    }

    private async Task<ConnectionOutcome> RunConnectionAsync(SessionState state, CancellationToken stop)
    {
        var connection = await _engine.ConnectAsync(new EngineStart(_key.TenantName, _key.Name, state, _fencingToken), stop);
        lock (_gate)
        {
            _connection = connection;
        }
        var opened = false;
        Ending? final = null;
        EngineEvent.Closed? closed = null;
        var writer = new StateWriter(_store, _key, _fencingToken, _clock, _logger, _metrics);
        await using (writer)
        {
            try
            {
                await foreach (var engineEvent in connection.Events.ReadAllAsync(CancellationToken.None))
                {
                    switch (engineEvent)
                    {
                        case EngineEvent.StateChanged changed:
                            state.Apply(changed.Delta);
                            writer.Enqueue(changed);
                            break;
                        case EngineEvent.QrCodeShown qr:
                            Publish(s => s with { State = SessionStateEnum.ScanQrCode, QrCode = new QrCodeSnapshot(qr.Code, qr.ExpireTime, qr.Sequence) }, newQr: true);
                            break;
                        case EngineEvent.PairingCodeIssued code:
                            _pairingCode?.TrySetResult(new PairingCode(code.Code, code.ExpireTime));
                            break;
                        case EngineEvent.Opened open:
                            opened = true;
                            Publish(s => s with { State = SessionStateEnum.Connected, PhoneNumber = open.PhoneNumber, QrCode = null, LastError = null });
                            _messaging.Attach(connection);
                            break;
                        case EngineEvent.MessageReceived received:
                            await OnReceivedAsync(received);
                            break;
                        case EngineEvent.DecryptionFailed failed:
                            final = new Ending(SessionStateEnum.Failed, Problem(SessionProblem.StateCorrupted,
                                $"Message {failed.Id} could not be decrypted: the stored session state is stale or lost. Log out and link again.", 0));
                            await connection.DisposeAsync();
                            break;
                        case EngineEvent.MessageStatusChanged { ErrorCode: ReceiptErrorCodes.StaleState } status:
                            final = new Ending(SessionStateEnum.Failed, Problem(SessionProblem.StateCorrupted,
                                $"Message {status.Id} could not be read by its recipient: the stored session state is stale. Log out and link again.", status.ErrorCode));
                            await connection.DisposeAsync();
                            break;
                        case EngineEvent.MessageStatusChanged status:
                            _messaging.RecordStatus(status); // recorded, then acknowledged by the engine
                            break;
                        case EngineEvent.Restricted restricted:
                            Publish(s => s with { LastError = Problem(SessionProblem.Restricted, $"{restricted.Reason} (until {restricted.Until:u})", ReceiptErrorCodes.Restricted) });
                            break;
                        case EngineEvent.Closed close:
                            closed = close;
                            break;
                    }
                }
            }
            finally
            {
                _messaging.Detach();
                lock (_gate)
                {
                    _connection = null;
                }
                await connection.DisposeAsync();
            }
        }
        // The writer is drained now: a failed write means the engine was told nothing was saved
        // and dropped the connection; reconnecting could acknowledge more unsaved state.
        if (writer.Failure is FencedOutException fencedOut)
        {
            // Not a fault to retry: another worker runs the session now, and two must never drive it.
            _logger.LogWarning(fencedOut, "{Session} is owned by another worker now; stopping it here", _key);
            final ??= new Ending(SessionStateEnum.Disconnected, Problem(SessionProblem.OwnershipLost,
                "Another worker took the session over; stopped here without reconnecting.", 0));
        }
        else if (writer.Failure is { } failure)
        {
            _logger.LogError(failure, "Storing the state of {Session} failed", _key);
            final ??= new Ending(SessionStateEnum.Failed, Problem(SessionProblem.StateWriteFailed,
                "Session state could not be stored; stopped so that nothing is acknowledged unsaved.", 0));
        }
        return new ConnectionOutcome(closed ?? new EngineEvent.Closed(CloseReason.ConnectionLost, 0, "connection lost"), opened, final);
    }

    /// <summary>Claims the session in the message ledger, retrying while the database is away or
    /// busy (a paused previous owner's locks are released by the database within seconds); only
    /// a newer owner's claim is an answer.</summary>
    private async Task<bool> ClaimAsync(SessionMessaging messaging, CancellationToken stop)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await messaging.ClaimAsync(stop);
            }
            catch (Exception failed) when (!stop.IsCancellationRequested)
            {
                _logger.LogWarning("{Session} could not claim its messages yet ({Problem}); retrying", _key, failed.Message);
                await Task.Delay(_backoff.Delay(Math.Min(attempt, 3)), _clock, stop);
            }
        }
    }

    /// <summary>Loads the stored state, retrying while the database or the blob store is out of
    /// reach (a takeover of a thousand sessions can overrun a small S3 server, which resets
    /// connections): a transient failure must not fail a session whose state is intact.</summary>
    private async Task<SessionState> LoadStateAsync(CancellationToken stop)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await _store.LoadAsync(_key, stop);
            }
            catch (Exception failed) when (!stop.IsCancellationRequested && IsTransient(failed))
            {
                _logger.LogWarning("{Session} could not load its state yet ({Problem}); retrying", _key, failed.Message);
                await Task.Delay(_backoff.Delay(Math.Min(attempt, 3)), _clock, stop);
            }
        }
    }

    private static bool IsTransient(Exception failure) => Wagate.Data.DbErrors.IsTransient(failure)
        || failure is HttpRequestException or IOException or System.Net.Sockets.SocketException
            or global::Grpc.Core.RpcException { StatusCode: global::Grpc.Core.StatusCode.Unavailable or global::Grpc.Core.StatusCode.DeadlineExceeded };

    /// <summary>New messages wait in the session's outbox.</summary>
    public void NudgeOutbox() => _messaging.Nudge();

    /// <summary>After a logout: the messages still queued fail. If recording that fails, they
    /// stay queued and are sent once the session is linked again.</summary>
    private async Task FailQueuedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _messaging.FailQueuedAsync(cancellationToken);
        }
        catch (Exception failed) when (failed is not OperationCanceledException)
        {
            _logger.LogError(failed, "Failing the queued messages of logged-out {Session} failed", _key);
        }
    }

    /// <summary>Stored before the engine acknowledges it.</summary>
    private async Task OnReceivedAsync(EngineEvent.MessageReceived received)
    {
        try
        {
            await _messaging.OnReceivedAsync(received, CancellationToken.None);
        }
        catch (Exception failed)
        {
            // Left unacknowledged (the engine drops the connection); the reconnect brings it again.
            _logger.LogWarning(failed, "{Session} could not store a received message", _key);
        }
    }

    private SessionProblem Problem(string reason, string message, int code) => new(reason, message, code, _clock.GetUtcNow());

    private void Publish(Func<SessionSnapshot, SessionSnapshot> change, bool newQr = false)
    {
        if (_watchers.Publish(change, newQr) is { } next)
        {
            _onChange(_key, next);
        }
    }
}
