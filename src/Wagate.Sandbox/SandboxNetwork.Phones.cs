using Google.Protobuf.WellKnownTypes;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Sandbox.Model;
using Wagate.WhatsApp;

namespace Wagate.Sandbox;

/// <summary>The phone side of the network: what SandboxService lets a tenant do with its
/// simulated phones. Tenants are resource names (<c>tenants/{tenant}</c>); numbers are E.164.</summary>
public sealed partial class SandboxNetwork
{
    public SandboxPhone CreatePhone(string tenant, string number)
    {
        lock (_gate)
        {
            Changed();
            if (_phones.ContainsKey((tenant, number)))
            {
                throw new SandboxException(SandboxErrorKind.AlreadyExists, $"The sandbox phone {number} already exists.");
            }
            var phone = new Phone(tenant, number, clock.GetUtcNow());
            _phones[(tenant, number)] = phone;
            return ToProto(phone);
        }
    }

    /// <summary>Links the session showing <paramref name="code"/> (a QR payload or a pairing
    /// code) to the phone, and returns the session's name.</summary>
    public string Scan(string tenant, string code, string number)
    {
        lock (_gate)
        {
            Changed();
            var phone = FindPhone(tenant, number);
            var linking = QrPayload.TryParse(code, out var reference)
                ? _linking.Values.FirstOrDefault(l => l.Tenant == tenant && l.Reference == reference)
                    ?? throw new SandboxException(SandboxErrorKind.NotFound, "This QR code is not showing anywhere: it expired or was never issued.")
                : FindByPairingCode(tenant, code, number);
            return Pair(linking, phone);
        }
    }

    /// <summary>A text from the phone to the sessions linked to <paramref name="to"/>.</summary>
    public SandboxMessage SendFromPhone(string tenant, string number, string to, string text) =>
        SendFromPhone(tenant, number, to, new Content { Text = new TextContent { Body = text } });

    /// <summary>A message of any kind from the phone to the sessions linked to
    /// <paramref name="to"/>; InvalidArgument for content WhatsApp would refuse. References to
    /// earlier messages (<c>reply_to</c>, <c>reaction.message_id</c>) are message ids.</summary>
    public SandboxMessage SendFromPhone(string tenant, string number, string to, Content content)
    {
        lock (_gate)
        {
            Changed();
            var phone = FindPhone(tenant, number);
            if (SandboxContent.Refusal(content) is { } refusal)
            {
                throw new SandboxException(SandboxErrorKind.InvalidArgument, $"WhatsApp refuses this message: {refusal.Reason}.");
            }
            var devices = _devices.Values.Where(d => d.Tenant == tenant && d.Number == to).ToList();
            if (devices.Count == 0)
            {
                throw new SandboxException(SandboxErrorKind.FailedPrecondition, $"No session is linked to {to}.");
            }
            var record = new MessageRecord("SB" + Guid.NewGuid().ToString("N")[..20].ToUpperInvariant(), phone.Number, to,
                SandboxContent.Recorded(content), clock.GetUtcNow());
            _messages[record.Id] = record;
            phone.Messages.Add(record);
            foreach (var device in devices)
            {
                Hand(device, new Pending.Inbound(record), offline: false);
            }
            return ToProto(record, phone);
        }
    }

    public SandboxMessagePage ListMessages(string tenant, string number, int offset, int size)
    {
        lock (_gate)
        {
            var phone = FindPhone(tenant, number);
            var page = phone.Messages.Skip(offset).Take(size).Select(m => ToProto(m, phone)).ToList();
            return new SandboxMessagePage(page, offset + size < phone.Messages.Count ? offset + size : null);
        }
    }

    /// <summary>Marks received messages read (all unread ones when <paramref name="ids"/> is
    /// empty) and sends read receipts to their senders.</summary>
    public int MarkRead(string tenant, string number, IReadOnlyCollection<string> ids)
    {
        lock (_gate)
        {
            Changed();
            var phone = FindPhone(tenant, number);
            var marked = 0;
            var now = clock.GetUtcNow();
            foreach (var message in Received(phone, ids).Where(m => m.Status < SandboxMessage.Types.Status.Read))
            {
                Advance(message, SandboxMessage.Types.Status.Read, Receipt.Types.Status.Read, now);
                marked++;
            }
            return marked;
        }
    }

    /// <summary>Plays received voice notes, audio and videos (all not played yet when
    /// <paramref name="ids"/> is empty): sends a read receipt for those not read yet (playing
    /// opens the chat), then a played receipt, to their senders. Returns how many changed;
    /// other kinds cannot be played and are left alone.</summary>
    public int MarkPlayed(string tenant, string number, IReadOnlyCollection<string> ids)
    {
        lock (_gate)
        {
            Changed();
            var phone = FindPhone(tenant, number);
            var played = 0;
            var now = clock.GetUtcNow();
            foreach (var message in Received(phone, ids).Where(m => SandboxContent.IsPlayable(m.Kind) && m.Status < SandboxMessage.Types.Status.Played))
            {
                if (message.Status < SandboxMessage.Types.Status.Read)
                {
                    Advance(message, SandboxMessage.Types.Status.Read, Receipt.Types.Status.Read, now);
                }
                Advance(message, SandboxMessage.Types.Status.Played, Receipt.Types.Status.Played, now);
                played++;
            }
            return played;
        }
    }

    /// <summary>Online phones receive: messages waiting for an offline phone become delivered
    /// when it comes back.</summary>
    public SandboxPhone SetOnline(string tenant, string number, bool online)
    {
        lock (_gate)
        {
            Changed();
            var phone = FindPhone(tenant, number);
            phone.Online = online;
            if (online)
            {
                foreach (var waiting in phone.Messages.Where(m => m.To == phone.Number).ToList())
                {
                    MarkDelivered(waiting, clock.GetUtcNow());
                }
            }
            return ToProto(phone);
        }
    }

    /// <summary>Drops the live connections of the devices linked to <paramref name="number"/>
    /// with 428 (connection closed), as a network blip does; the devices stay linked.</summary>
    public int DisconnectDevices(string tenant, string number)
    {
        lock (_gate)
        {
            FindPhone(tenant, number);
            var dropped = 0;
            foreach (var device in _devices.Values.Where(d => d.Tenant == tenant && d.Number == number && d.Live is not null).ToList())
            {
                var link = device.Live!;
                ForgetLink(link);
                link.Close(CloseCodes.ConnectionClosed, "connection closed");
                dropped++;
            }
            return dropped;
        }
    }

    /// <summary>The messages the phone received, those named in <paramref name="ids"/> (all
    /// when empty); ids of other messages are ignored, as a phone ignores what it does not have.</summary>
    private static IEnumerable<MessageRecord> Received(Phone phone, IReadOnlyCollection<string> ids) =>
        phone.Messages.Where(m => m.To == phone.Number && (ids.Count == 0 || ids.Contains(m.Id)));

    private static void Advance(MessageRecord message, SandboxMessage.Types.Status status, Receipt.Types.Status receipt, DateTimeOffset now)
    {
        message.Status = status;
        if (message.SenderDevice is { } sender)
        {
            Hand(sender, ReceiptOf(message.Id, receipt, now), offline: false);
        }
    }

    private Linking FindByPairingCode(string tenant, string code, string number)
    {
        var normalized = code.Replace("-", "", StringComparison.Ordinal).Trim().ToUpperInvariant();
        var linking = _linking.Values.FirstOrDefault(l => l.Tenant == tenant && l.PairingCode == normalized)
            ?? throw new SandboxException(SandboxErrorKind.NotFound, "This code is neither a showing QR code nor a pairing code in use.");
        if (clock.GetUtcNow() >= linking.PairingExpires)
        {
            throw new SandboxException(SandboxErrorKind.FailedPrecondition, "The pairing code has expired; request a new one.");
        }
        if (linking.PairingPhone != number)
        {
            throw new SandboxException(SandboxErrorKind.FailedPrecondition, $"The pairing code was requested for another number, not {number}.");
        }
        return linking;
    }

    private Phone FindPhone(string tenant, string number) =>
        _phones.TryGetValue((tenant, number), out var phone)
            ? phone
            : throw new SandboxException(SandboxErrorKind.NotFound, $"There is no sandbox phone {number}.");

    private static SandboxPhone ToProto(Phone phone) => new()
    {
        Name = SandboxPhoneNames.Format(phone.Tenant, phone.Number),
        PhoneNumber = phone.Number,
        Online = phone.Online,
        CreateTime = Timestamp.FromDateTimeOffset(phone.CreateTime),
    };

    private static SandboxMessage ToProto(MessageRecord message, Phone phone) => new()
    {
        Id = message.Id,
        Direction = message.From == phone.Number ? SandboxMessage.Types.Direction.Outbound : SandboxMessage.Types.Direction.Inbound,
        From = message.From,
        To = message.To,
        Text = message.Summary,
        Status = message.Status,
        SendTime = Timestamp.FromDateTimeOffset(message.SendTime),
        Kind = message.Kind,
        Content = message.Content.Clone(),
        Typing = message.Typing is { } typing ? Duration.FromTimeSpan(typing) : null,
    };
}
