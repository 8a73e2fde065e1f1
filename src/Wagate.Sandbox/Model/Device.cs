using Wagate.Contracts.Sandbox.V1;

namespace Wagate.Sandbox.Model;

/// <summary>A linked device (one session) and what the network knows of it.</summary>
internal sealed class Device(string id, string secret, string tenant, string session, string number)
{
    public string Id { get; } = id;
    public string Secret { get; } = secret;
    public string Tenant { get; } = tenant;
    public string Session { get; } = session;
    public string Number { get; } = number;

    /// <summary>Advances with every message the device encrypts or decrypts; the device must
    /// persist it, as Baileys must persist its Signal sessions.</summary>
    public long Counter { get; set; }

    /// <summary>The device reconnected with an older counter than this: its state was lost.</summary>
    public bool Stale { get; set; }

    /// <summary>The last counter handed to the device on its current connection; it becomes
    /// <see cref="Counter"/> only once the device acknowledges the frame that carried it.</summary>
    public long Proposed { get; set; }

    /// <summary>Inbound messages handed over on the current connection and not acknowledged yet,
    /// with the counter each carried: handed over again on the next connection, as WhatsApp
    /// keeps a message for a device until the device acknowledges it.</summary>
    public List<(MessageRecord Message, long Counter)> Unacked { get; } = [];

    /// <summary>The current connection acknowledges receipts (see Hello.acknowledges_receipts).</summary>
    public bool AcknowledgesReceipts { get; set; }

    /// <summary>Receipts handed over on the current connection and not acknowledged yet.</summary>
    public List<Receipt> UnackedReceipts { get; } = [];

    public DeviceLink? Live { get; set; }

    /// <summary>The chats (numbers) the device shows as typing or recording, and since when;
    /// part of its connection, so not saved.</summary>
    public Dictionary<string, DateTimeOffset> TypingSince { get; } = new(StringComparer.Ordinal);

    /// <summary>Connections that reached Open; with <see cref="ReplacedCount"/>, what failover
    /// tests read to prove a session moved without two workers fighting over it. Not saved:
    /// counted since the network started.</summary>
    public int OpenedCount { get; set; }

    /// <summary>Connections closed with 440 because the device connected again elsewhere.</summary>
    public int ReplacedCount { get; set; }

    /// <summary>Frames waiting for the device to reconnect: inbound messages and receipts.</summary>
    public Queue<Pending> Backlog { get; } = new();

    public HashSet<string> Contacts { get; } = new(StringComparer.Ordinal);
    public Queue<DateTimeOffset> NewContactSends { get; } = new();
    public DateTimeOffset RestrictedUntil { get; set; }

    /// <summary>Message ids this device already sent, for deduplication.</summary>
    public HashSet<string> SentIds { get; } = new(StringComparer.Ordinal);
}

/// <summary>Something to hand a device when it is connected.</summary>
internal abstract record Pending
{
    public sealed record Inbound(MessageRecord Message) : Pending;

    public sealed record ReceiptFrame(Receipt Receipt) : Pending;
}
