using Microsoft.Extensions.Logging;
using Wagate.Core;
using Wagate.Engines;
using Wagate.Worker.Telemetry;

namespace Wagate.Worker.Messaging;

/// <summary>One session's messages on the worker that owns it, as its runtime drives them: the
/// outbox sender, the receipts, the inbox and the outbound media, each a class of its own, over
/// one <see cref="SessionLedger"/> that writes under the session's fencing token (once another
/// worker owns the session nothing written here counts) and counts what it recorded in
/// <paramref name="metrics"/>, if given.</summary>
public sealed class SessionMessaging : IAsyncDisposable
{
    private readonly SessionLedger _ledger;
    private readonly OutboxSender _outbox;
    private readonly ReceiptRecorder _receipts;
    private readonly Inbox _inbox;

    public SessionMessaging(SessionKey key, long fencingToken, WorkerMessaging messaging, TimeProvider clock, ILogger logger, WorkerMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(messaging);
        _ledger = new SessionLedger(key, fencingToken, messaging.Ledger, metrics);
        var references = new WhatsAppReferences(key, messaging.Ledger);
        var media = new OutboundMedia(_ledger, messaging.Media, clock, logger);
        _outbox = new OutboxSender(_ledger, media, references, messaging.Pacing, clock, logger);
        _receipts = new ReceiptRecorder(_ledger, media, logger);
        _inbox = new Inbox(_ledger, references, clock, logger);
    }

    /// <inheritdoc cref="OutboxSender.Depth"/>
    public int OutboxDepth => _outbox.Depth;

    /// <inheritdoc cref="SessionLedger.ClaimAsync"/>
    public Task<bool> ClaimAsync(CancellationToken cancellationToken) => _ledger.ClaimAsync(cancellationToken);

    /// <inheritdoc cref="OutboxSender.Nudge"/>
    public void Nudge() => _outbox.Nudge();

    /// <inheritdoc cref="OutboxSender.Attach"/>
    public void Attach(IEngineConnection connection) => _outbox.Attach(connection);

    /// <inheritdoc cref="OutboxSender.Detach"/>
    public void Detach() => _outbox.Detach();

    /// <inheritdoc cref="ReceiptRecorder.Record"/>
    public void RecordStatus(EngineEvent.MessageStatusChanged status) => _receipts.Record(status);

    /// <inheritdoc cref="OutboxSender.FailQueuedAsync"/>
    public Task<bool> FailQueuedAsync(CancellationToken cancellationToken) => _outbox.FailQueuedAsync(cancellationToken);

    /// <inheritdoc cref="Inbox.OnReceivedAsync"/>
    public Task OnReceivedAsync(EngineEvent.MessageReceived received, CancellationToken cancellationToken) =>
        _inbox.OnReceivedAsync(received, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _outbox.DisposeAsync();
        await _receipts.DisposeAsync();
    }
}
