using Wagate.Contracts.Message.V1;

namespace Wagate.Engines;

/// <summary>What an engine connection reports.</summary>
public abstract record EngineEvent
{
    private EngineEvent()
    {
    }

    /// <summary>A QR code to show; a later one replaces it.</summary>
    public sealed record QrCodeShown(string Code, DateTimeOffset ExpireTime, int Sequence) : EngineEvent;

    public sealed record PairingCodeIssued(string Code, DateTimeOffset ExpireTime) : EngineEvent;

    /// <summary>The connection is open: the device is linked to <paramref name="PhoneNumber"/>.</summary>
    public sealed record Opened(string PhoneNumber) : EngineEvent;

    /// <summary>The connection ended; always the last event. <paramref name="Reason"/> is what it
    /// means for the session, as the engine judged it (WhatsApp's codes are ambiguous: 408 stands
    /// for three things); <paramref name="Code"/> and <paramref name="Message"/> are what the
    /// network said, for people.</summary>
    public sealed record Closed(CloseReason Reason, int Code, string Message) : EngineEvent;

    /// <summary>Session state changed. The engine waits for <see cref="Durable"/> before it
    /// acknowledges anything to the network that depends on the change, as Baileys waits for
    /// its key store's set() to resolve.</summary>
    public sealed record StateChanged(StateDelta Delta) : EngineEvent
    {
        private readonly TaskCompletionSource _durable = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Durable => _durable.Task;

        public void MarkDurable() => _durable.TrySetResult();

        public void MarkFailed(Exception reason) => _durable.TrySetException(reason);
    }

    /// <summary>A message arrived. The engine acknowledges it to the network (which then sends its
    /// sender the delivery receipt and will not hand it over again) only once the runtime calls
    /// <see cref="MarkRecorded"/>: a worker that dies before the message is stored gets it again
    /// on the next connection, from whichever worker makes it.</summary>
    public sealed record MessageReceived(string Id, string From, Content Content, DateTimeOffset SendTime, bool Offline) : EngineEvent
    {
        private readonly TaskCompletionSource _recorded = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Recorded => _recorded.Task;

        public void MarkRecorded() => _recorded.TrySetResult();

        public void MarkFailed(Exception reason) => _recorded.TrySetException(reason);
    }

    /// <summary>A message arrived that the device could not decrypt: its stored state is stale
    /// or lost (Baileys' "Bad MAC").</summary>
    public sealed record DecryptionFailed(string Id, string From) : EngineEvent;

    /// <summary>What happened to a message the session sent (Baileys' <c>messages.update</c>
    /// status): WhatsApp's server took it, the recipient's phone has it, read it, played it (voice
    /// notes, audio, video), or it failed with WhatsApp's <paramref name="ErrorCode"/> and why. A
    /// message's statuses only move forward, and may skip one (an offline phone's user can read
    /// a message on another device before the phone reports it delivered). <paramref name="Time"/> is when it happened on the network.</summary>
    public sealed record MessageStatusChanged(string Id, MessageDeliveryStatus Status, int ErrorCode, string Error, DateTimeOffset Time) : EngineEvent
    {
        private readonly TaskCompletionSource _recorded = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes once the runtime has recorded the status: only then does the engine
        /// acknowledge the receipt, so a receipt a dying worker never recorded comes again to the
        /// next owner.</summary>
        public Task Recorded => _recorded.Task;

        public void MarkRecorded() => _recorded.TrySetResult();

        public void MarkFailed(Exception reason) => _recorded.TrySetException(reason);
    }

    /// <summary>WhatsApp restricts sending until <paramref name="Until"/>.</summary>
    public sealed record Restricted(string Reason, DateTimeOffset Until) : EngineEvent;
}

/// <summary>Baileys' message statuses (<c>proto.WebMessageInfo.Status</c>): ERROR, PENDING,
/// SERVER_ACK, DELIVERY_ACK, READ, PLAYED.</summary>
public enum MessageDeliveryStatus
{
    Error = 0,
    Pending = 1,
    ServerAck = 2,
    Delivered = 3,
    Read = 4,
    Played = 5,
}

/// <summary>Why a connection ended, as far as what happens next is concerned.</summary>
public enum CloseReason
{
    /// <summary>The connection dropped (network, keep-alive, server): reconnect with backoff.</summary>
    ConnectionLost,

    /// <summary>The network asks for a new connection at once (after pairing: WhatsApp's 515).</summary>
    RestartRequired,

    /// <summary>The device was unlinked, by the phone or by a logout (401): its credentials are dead.</summary>
    LoggedOut,

    /// <summary>Another connection of the device took over (440): this one must not come back.</summary>
    Replaced,

    /// <summary>Every QR code expired unscanned (408 with the QR references ended).</summary>
    QrCodesEnded,
}
