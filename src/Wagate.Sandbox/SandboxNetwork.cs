using System.Security.Cryptography;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Sandbox.Model;
using Wagate.WhatsApp;

namespace Wagate.Sandbox;

/// <summary>The sandbox network: an in-memory simulation of WhatsApp for sessions with the
/// sandbox engine. It does what sessions must cope with on the real network: rotating QR
/// references that run out, pairing codes, credentials issued at pairing and required to
/// reconnect, a state counter that exposes lost state writes, one live connection per device,
/// server/delivery/read receipts, an offline backlog, and restrictions on messaging too many
/// new contacts. One lock guards it all: every operation is short and never waits inside it.
/// This file is the device side; <c>SandboxNetwork.Phones.cs</c> is the phone side.</summary>
public sealed partial class SandboxNetwork(SandboxOptions options, TimeProvider clock) : ISandboxNetworkClient
{
    private const string PairingAlphabet = "ABCDEFGHJKLMNPQRSTVWXYZ23456789";

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Tenant, string Number), Phone> _phones = [];
    private readonly Dictionary<string, Device> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<DeviceLink, Linking> _linking = [];
    private readonly Dictionary<DeviceLink, Device> _live = [];
    private readonly Dictionary<string, MessageRecord> _messages = new(StringComparer.Ordinal);

    public ISandboxConnection Connect() => new DeviceLink(this);

    internal void Receive(DeviceLink link, ConnectRequest request)
    {
        lock (_gate)
        {
            Changed();
            switch (request.FrameCase)
            {
                case ConnectRequest.FrameOneofCase.Hello:
                    Hello(link, request.Hello);
                    break;
                case ConnectRequest.FrameOneofCase.PairingCodeRequest when _linking.TryGetValue(link, out var linking):
                    IssuePairingCode(linking, request.PairingCodeRequest.PhoneNumber);
                    break;
                case ConnectRequest.FrameOneofCase.Send when _live.TryGetValue(link, out var sender):
                    Send(sender, request.Send);
                    break;
                case ConnectRequest.FrameOneofCase.InboundAck when _live.TryGetValue(link, out var acknowledging):
                    AcknowledgeInbound(acknowledging, request.InboundAck.Id);
                    break;
                case ConnectRequest.FrameOneofCase.ReceiptAck when _live.TryGetValue(link, out var recorder):
                    var index = recorder.UnackedReceipts.FindIndex(r => r.Id == request.ReceiptAck.Id && r.Status == request.ReceiptAck.Status);
                    if (index >= 0)
                    {
                        recorder.UnackedReceipts.RemoveAt(index);
                    }
                    break;
                case ConnectRequest.FrameOneofCase.Presence when _live.TryGetValue(link, out var typist):
                    ShowPresence(typist, request.Presence);
                    break;
                case ConnectRequest.FrameOneofCase.ReadMessages when _live.TryGetValue(link, out var reader):
                    MarkReadByDevice(reader, request.ReadMessages);
                    break;
                case ConnectRequest.FrameOneofCase.Logout when _live.TryGetValue(link, out var device):
                    Unlink(device);
                    break;
                default:
                    // A frame that does not fit the connection's state, like WhatsApp, ends it.
                    link.Close(400, $"unexpected {request.FrameCase} frame");
                    ForgetLink(link);
                    break;
            }
        }
    }

    /// <summary>The device dropped its end (a stop): forget the connection, keep the device.</summary>
    internal void Drop(DeviceLink link)
    {
        lock (_gate)
        {
            Changed();
            ForgetLink(link);
        }
    }

    private void Hello(DeviceLink link, Hello hello)
    {
        if (hello.Credentials is null)
        {
            var linking = new Linking(link, hello.Tenant, hello.Session);
            _linking[link] = linking;
            if (options.FirstQrDelay <= TimeSpan.Zero)
            {
                ShowNextQr(linking);
                return;
            }
            linking.Timer = clock.CreateTimer(_ =>
            {
                lock (_gate)
                {
                    Changed();
                    if (_linking.ContainsKey(linking.Link) && linking.Sequence == 0)
                    {
                        ShowNextQr(linking);
                    }
                }
            }, null, options.FirstQrDelay, Timeout.InfiniteTimeSpan);
            return;
        }

        if (!_devices.TryGetValue(hello.Credentials.DeviceId, out var device)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(device.Secret), Encoding.UTF8.GetBytes(hello.Credentials.Secret))
            || device.Tenant != hello.Tenant)
        {
            link.Close(CloseCodes.LoggedOut, "device is not linked (logged out)");
            return;
        }
        if (device.Live is { } previous)
        {
            _live.Remove(previous);
            previous.Close(CloseCodes.Replaced, "replaced by another connection of this device");
            device.ReplacedCount++;
            RequeueUnacknowledged(device);
        }
        // Older than ours: the device lost state writes. Newer than ours can only mean this
        // network lost its own latest save (a crash of a single node); the device is right.
        device.Stale = hello.StateCounter < device.Counter;
        device.Counter = Math.Max(device.Counter, hello.StateCounter);
        device.Proposed = device.Counter;
        device.AcknowledgesReceipts = hello.AcknowledgesReceipts;
        device.Live = link;
        _live[link] = device;
        link.Deliver(new ConnectResponse { Open = new Open { PhoneNumber = device.Number } });
        device.OpenedCount++;
        while (device.Backlog.TryDequeue(out var pending))
        {
            Hand(device, pending, offline: true);
        }
    }

    private void ShowNextQr(Linking linking)
    {
        if (linking.Sequence >= options.QrReferencesPerAttempt)
        {
            linking.Link.Close(CloseCodes.TimedOut, "QR refs attempts ended");
            ForgetLink(linking.Link);
            return;
        }
        linking.Sequence++;
        linking.Reference = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var lifetime = linking.Sequence == 1 ? options.FirstQrLifetime : options.NextQrLifetime;
        linking.Timer?.Dispose();
        linking.Timer = clock.CreateTimer(_ =>
        {
            lock (_gate)
            {
                Changed();
                if (_linking.ContainsKey(linking.Link))
                {
                    ShowNextQr(linking);
                }
            }
        }, null, lifetime, Timeout.InfiniteTimeSpan);
        linking.Link.Deliver(new ConnectResponse
        {
            Qr = new QrReference
            {
                Code = QrPayload.Format(linking.Reference, linking.Sequence),
                ExpireTime = Timestamp.FromDateTimeOffset(clock.GetUtcNow() + lifetime),
                Sequence = linking.Sequence,
            },
        });
    }

    private void IssuePairingCode(Linking linking, string phoneNumber)
    {
        var code = new char[8];
        for (var i = 0; i < code.Length; i++)
        {
            code[i] = PairingAlphabet[RandomNumberGenerator.GetInt32(PairingAlphabet.Length)];
        }
        linking.PairingCode = new string(code);
        linking.PairingPhone = phoneNumber;
        linking.PairingExpires = clock.GetUtcNow() + options.PairingCodeLifetime;
        linking.Link.Deliver(new ConnectResponse
        {
            PairingCode = new PairingCode { Code = linking.PairingCode, ExpireTime = Timestamp.FromDateTimeOffset(linking.PairingExpires) },
        });
    }

    /// <summary>Links the device of a linking connection to a phone's number, hands it its
    /// credentials, and closes with 515 so it reconnects with them, as WhatsApp does.</summary>
    private string Pair(Linking linking, Phone phone)
    {
        var device = new Device(
            id: "dv" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            secret: Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)),
            linking.Tenant, linking.Session, phone.Number)
        {
            Counter = 1,
        };
        _devices[device.Id] = device;
        linking.Link.Deliver(new ConnectResponse
        {
            Paired = new Paired
            {
                Credentials = new DeviceCredentials { DeviceId = device.Id, Secret = device.Secret, PhoneNumber = device.Number },
            },
            StateCounter = device.Counter,
        });
        linking.Link.Close(CloseCodes.RestartRequired, "restart required after pairing");
        ForgetLink(linking.Link);
        return linking.Session;
    }

    private void Send(Device sender, OutboundMessage message)
    {
        var now = clock.GetUtcNow();
        if (sender.SentIds.Contains(message.Id))
        {
            // A resend of a message the network already took: acknowledge, deliver nothing twice.
            Hand(sender, ReceiptOf(message.Id, Receipt.Types.Status.ServerAck, now), offline: false);
            return;
        }
        // Devices that send only text may leave the content out.
        var content = message.Content ?? new Content { Text = new TextContent { Body = message.Text } };
        if (SandboxContent.Refusal(content) is { } refusal)
        {
            Refuse(sender, message.Id, refusal.Code, $"WhatsApp refuses this message: {refusal.Reason}", now);
            return;
        }
        if (message.StateCounter > 0 && message.StateCounter <= sender.Counter)
        {
            // The device encrypted with a step it had used before: it lost the write of that step.
            sender.Stale = true;
        }
        if (sender.Stale)
        {
            Refuse(sender, message.Id, ReceiptErrorCodes.StaleState, "the recipient could not decrypt the message: the sender's session state is stale", now);
            return;
        }
        if (!_phones.TryGetValue((sender.Tenant, message.To), out var recipient))
        {
            Refuse(sender, message.Id, ReceiptErrorCodes.NotOnWhatsApp, $"{message.To} is not on the sandbox network", now);
            return;
        }
        if (!sender.Contacts.Contains(message.To) && !AllowNewContact(sender, now))
        {
            Refuse(sender, message.Id, ReceiptErrorCodes.Restricted, "this account is restricted from messaging new contacts", now);
            return;
        }

        // Only a message the network took counts as sent: a refused one may be sent again.
        sender.SentIds.Add(message.Id);
        sender.Contacts.Add(message.To);
        // The message ends the "typing..." its sender showed, as it does on a phone.
        var record = new MessageRecord(message.Id, sender.Number, recipient.Number, SandboxContent.Recorded(content), now)
        {
            SenderDevice = sender,
            Typing = sender.TypingSince.Remove(recipient.Number, out var typingSince) ? now - typingSince : null,
        };
        _messages[message.Id] = record;
        recipient.Messages.Add(record);
        if (message.StateCounter > 0)
        {
            // Stored by the device before it sent: the network's record can follow at once, and
            // the acknowledgement is a receipt like the others.
            sender.Counter = message.StateCounter;
            sender.Proposed = Math.Max(sender.Proposed, sender.Counter);
            Hand(sender, ReceiptOf(message.Id, Receipt.Types.Status.ServerAck, now), offline: false);
        }
        else
        {
            sender.Live?.Deliver(new ConnectResponse
            {
                Receipt = new Receipt { Id = message.Id, Status = Receipt.Types.Status.ServerAck, Time = Timestamp.FromDateTimeOffset(now) },
                StateCounter = ++sender.Counter,
            });
        }
        if (recipient.Online)
        {
            MarkDelivered(record, now);
        }
    }

    /// <summary>A chat state: shown by the chat's phone until the sender pauses, its message
    /// arrives or it goes offline. WhatsApp drops chat states for numbers it does not know, silently.</summary>
    private void ShowPresence(Device sender, ChatPresence presence)
    {
        if (!_phones.TryGetValue((sender.Tenant, presence.To), out var chat))
        {
            return;
        }
        if (presence.State is ChatPresence.Types.State.Composing or ChatPresence.Types.State.Recording)
        {
            sender.TypingSince.TryAdd(chat.Number, clock.GetUtcNow());
        }
        else
        {
            sender.TypingSince.Remove(chat.Number);
        }
    }

    private bool AllowNewContact(Device sender, DateTimeOffset now)
    {
        while (sender.NewContactSends.TryPeek(out var first) && first + options.NewContactWindow <= now)
        {
            sender.NewContactSends.Dequeue();
        }
        if (now < sender.RestrictedUntil)
        {
            return false;
        }
        if (sender.NewContactSends.Count >= options.NewContactLimit)
        {
            sender.RestrictedUntil = now + options.RestrictionDuration;
            // Like WhatsApp's reachout time lock, told only to a connected device.
            sender.Live?.Deliver(new ConnectResponse
            {
                Restriction = new Restriction
                {
                    Reason = $"more than {options.NewContactLimit} new contacts within {options.NewContactWindow.TotalSeconds:0} s",
                    Until = Timestamp.FromDateTimeOffset(sender.RestrictedUntil),
                },
            });
            return false;
        }
        sender.NewContactSends.Enqueue(now);
        return true;
    }

    private static void Refuse(Device sender, string id, int code, string reason, DateTimeOffset now)
    {
        var receipt = ReceiptOf(id, Receipt.Types.Status.Error, now);
        receipt.Receipt.ErrorCode = code;
        receipt.Receipt.Error = reason;
        Hand(sender, receipt, offline: false);
    }

    private static Pending.ReceiptFrame ReceiptOf(string id, Receipt.Types.Status status, DateTimeOffset time) =>
        new(new Receipt { Id = id, Status = status, Time = Timestamp.FromDateTimeOffset(time) });

    private static void MarkDelivered(MessageRecord record, DateTimeOffset now)
    {
        if (record.Status != SandboxMessage.Types.Status.Sent)
        {
            return;
        }
        record.Status = SandboxMessage.Types.Status.Delivered;
        if (record.SenderDevice is { } sender)
        {
            Hand(sender, ReceiptOf(record.Id, Receipt.Types.Status.Delivered, now), offline: false);
        }
    }

    private void AcknowledgeInbound(Device device, string id)
    {
        // The device stored the counter the frame carried before acknowledging it.
        var index = device.Unacked.FindIndex(u => u.Message.Id == id);
        if (index >= 0)
        {
            device.Counter = Math.Max(device.Counter, device.Unacked[index].Counter);
            device.Unacked.RemoveAt(index);
        }
        if (_messages.TryGetValue(id, out var record) && record.SenderDevice is null)
        {
            record.Status = record.Status == SandboxMessage.Types.Status.Sent ? SandboxMessage.Types.Status.Delivered : record.Status;
        }
    }

    /// <summary>Gives the device a frame now, or keeps it for its next connection.</summary>
    private static void Hand(Device device, Pending pending, bool offline)
    {
        if (device.Live is null)
        {
            device.Backlog.Enqueue(pending);
            return;
        }
        switch (pending)
        {
            case Pending.ReceiptFrame receipt:
                if (device.AcknowledgesReceipts)
                {
                    device.UnackedReceipts.Add(receipt.Receipt);
                }
                device.Live.Deliver(new ConnectResponse { Receipt = receipt.Receipt });
                break;
            case Pending.Inbound inbound:
                device.Proposed = Math.Max(device.Proposed, device.Counter) + 1;
                device.Unacked.Add((inbound.Message, device.Proposed));
                device.Live.Deliver(new ConnectResponse
                {
                    Inbound = new InboundMessage
                    {
                        Id = inbound.Message.Id,
                        From = inbound.Message.From,
                        Text = inbound.Message.Summary,
                        Content = inbound.Message.Content.Clone(),
                        SendTime = Timestamp.FromDateTimeOffset(inbound.Message.SendTime),
                        Offline = offline,
                        Undecryptable = device.Stale,
                    },
                    StateCounter = device.Proposed,
                });
                break;
        }
    }

    private void Unlink(Device device)
    {
        _devices.Remove(device.Id);
        if (device.Live is { } link)
        {
            _live.Remove(link);
            link.Close(CloseCodes.LoggedOut, "logged out");
        }
    }

    private void ForgetLink(DeviceLink link)
    {
        if (_linking.Remove(link, out var linking))
        {
            linking.Timer?.Dispose();
        }
        if (_live.Remove(link, out var device) && device.Live == link)
        {
            device.Live = null;
            RequeueUnacknowledged(device);
            device.TypingSince.Clear(); // a device gone offline types no more
        }
    }

    /// <summary>The device read messages phones sent it: each sender's phone shows them read.
    /// Ids of messages the device did not receive (another tenant's, its own, unknown) change nothing.</summary>
    private void MarkReadByDevice(Device reader, ReadMessages read)
    {
        foreach (var id in read.Ids)
        {
            if (_messages.TryGetValue(id, out var record) && record.SenderDevice is null && record.To == reader.Number
                && _phones.TryGetValue((reader.Tenant, record.From), out var sender) && sender.Messages.Contains(record)
                && record.Status < SandboxMessage.Types.Status.Read)
            {
                record.Status = SandboxMessage.Types.Status.Read;
            }
        }
    }

    /// <summary>What the device never acknowledged goes first on its next connection.</summary>
    private static void RequeueUnacknowledged(Device device)
    {
        if (device.Unacked.Count == 0 && device.UnackedReceipts.Count == 0)
        {
            return;
        }
        var backlog = device.UnackedReceipts.Select(r => (Pending)new Pending.ReceiptFrame(r))
            .Concat(device.Unacked.Select(u => (Pending)new Pending.Inbound(u.Message)))
            .Concat(device.Backlog).ToList();
        device.UnackedReceipts.Clear();
        device.Unacked.Clear();
        device.Backlog.Clear();
        foreach (var pending in backlog)
        {
            device.Backlog.Enqueue(pending);
        }
    }
}
