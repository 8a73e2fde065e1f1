using Wagate.Contracts.Message.V1;

namespace Wagate.Data.Messages;

/// <summary>What a write of a message through the <see cref="IWorkerMessageLedger"/> came to.
/// <paramref name="Owned"/> is false when the writer was fenced out and nothing was written.
/// <paramref name="Changed"/> is the message as the write left it when the write changed it, and
/// appended its event; null when there was nothing to change (a stale or repeated report, a
/// message handed over again, or fenced out). Callers that count what happened (the worker's
/// metrics) count only changes, so a receipt reported twice is counted once.</summary>
public readonly record struct LedgerWrite(bool Owned, Message? Changed)
{
    public static LedgerWrite FencedOut => new(false, null);

    public static LedgerWrite Unchanged => new(true, null);

    public static LedgerWrite Applied(Message message) => new(true, message);
}
