using Wagate.Contracts.Message.V1;
using Wagate.Core;
using Wagate.Data.Messages;
using Wagate.Worker.Telemetry;

namespace Wagate.Worker.Messaging;

/// <summary>The ledger as one session's owner writes it: every write under the session's fencing
/// token, and what a write changed counted in the worker's metrics once.</summary>
internal sealed class SessionLedger(SessionKey key, long fencingToken, IWorkerMessageLedger ledger, WorkerMetrics? metrics)
{
    public SessionKey Key => key;

    public IWorkerMessageLedger Ledger => ledger;

    /// <summary>Makes this token the session's owner in the ledger; false when a newer owner has
    /// claimed it (this worker must not run it).</summary>
    public Task<bool> ClaimAsync(CancellationToken cancellationToken) =>
        ledger.ClaimSessionAsync(key.TenantId, key.SessionId, fencingToken, cancellationToken);

    public Task<IReadOnlyList<Message>> QueuedAsync(int limit, CancellationToken cancellationToken) =>
        ledger.QueuedAsync(key.TenantId, key.SessionId, limit, cancellationToken);

    /// <summary>False when another worker owns the session: nothing was recorded.</summary>
    public async Task<bool> RecordStatusAsync(
        string messageId, Message.Types.State state, DateTime time, MessageFailure? failure, CancellationToken cancellationToken) =>
        Counted(await ledger.RecordStatusAsync(key.TenantId, key.SessionId, fencingToken, messageId, state, time, failure, cancellationToken));

    /// <summary>Several reports in order, in one write; each write counted.</summary>
    public async Task<IReadOnlyList<LedgerWrite>> RecordStatusesAsync(IReadOnlyList<StatusReport> reports)
    {
        var writes = await ledger.RecordStatusesAsync(key.TenantId, key.SessionId, fencingToken, reports);
        foreach (var write in writes)
        {
            Counted(write);
        }
        return writes;
    }

    /// <inheritdoc cref="RecordStatusAsync"/>
    public async Task<bool> RecordInboundAsync(string whatsAppId, string from, Content content, DateTime receiveTime, DateTime sendTime, CancellationToken cancellationToken) =>
        Counted(await ledger.RecordInboundAsync(key.TenantId, key.SessionId, fencingToken, whatsAppId, from, content, receiveTime, sendTime, cancellationToken));

    private bool Counted(LedgerWrite write)
    {
        if (write.Changed is { } changed)
        {
            metrics?.Recorded(changed);
        }
        return write.Owned;
    }
}
