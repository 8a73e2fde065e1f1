namespace Wagate.Worker.Engines;

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

    /// <summary>The connection ended; always the last event.</summary>
    public sealed record Closed(int Code, string Reason) : EngineEvent;

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

    public sealed record MessageReceived(string Id, string From, string Text, DateTimeOffset SendTime, bool Offline) : EngineEvent;

    /// <summary>A message arrived that the device could not decrypt: its stored state is stale
    /// or lost (Baileys' "Bad MAC").</summary>
    public sealed record DecryptionFailed(string Id, string From) : EngineEvent;

    public sealed record MessageStatusChanged(string Id, MessageDeliveryStatus Status, int ErrorCode, string Error) : EngineEvent;

    /// <summary>WhatsApp restricts sending until <paramref name="Until"/>.</summary>
    public sealed record Restricted(string Reason, DateTimeOffset Until) : EngineEvent;
}

/// <summary>Baileys' message statuses.</summary>
public enum MessageDeliveryStatus
{
    Error = 0,
    Pending = 1,
    ServerAck = 2,
    Delivered = 3,
    Read = 4,
    Played = 5,
}
