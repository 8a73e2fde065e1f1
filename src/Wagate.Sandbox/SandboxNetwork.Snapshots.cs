using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Sandbox.Model;
using Wagate.Sandbox.Persistence;

namespace Wagate.Sandbox;

/// <summary>Saving and restoring the network, for a single node that must survive restarts.
/// Connections and linking attempts are not saved: devices reconnect after a restart.</summary>
public sealed partial class SandboxNetwork
{
    private long _version;

    /// <summary>Grows with every change; a saver compares it to know when to save.</summary>
    public long Version => Interlocked.Read(ref _version);

    private void Changed() => Interlocked.Increment(ref _version);

    public SandboxSnapshot Export()
    {
        lock (_gate)
        {
            return new SandboxSnapshot(
                _phones.Values.Select(p => new PhoneSnapshot(p.Tenant, p.Number, p.CreateTime, p.Online, p.Messages.Select(m => m.Id).ToList())).ToList(),
                _devices.Values.Select(d => new DeviceSnapshot(d.Id, d.Secret, d.Tenant, d.Session, d.Number, d.Counter,
                    [.. d.Contacts], d.RestrictedUntil, [.. d.SentIds],
                    // Handed over but not acknowledged: kept, to hand over again after a restart.
                    d.UnackedReceipts.Select(r => (Pending)new Pending.ReceiptFrame(r))
                        .Concat(d.Unacked.Select(u => (Pending)new Pending.Inbound(u.Message)))
                        .Concat(d.Backlog).Select(ToSnapshot).ToList())).ToList(),
                _messages.Values.Select(m => new MessageSnapshot(m.Id, m.From, m.To, m.Summary, m.SendTime, (int)m.Status, m.SenderDevice?.Id,
                    m.Content.ToByteArray(), m.Typing)).ToList());
        }
    }

    /// <summary>Replaces everything with <paramref name="snapshot"/>; only before any connection.</summary>
    public void Restore(SandboxSnapshot snapshot)
    {
        lock (_gate)
        {
            _devices.Clear();
            _phones.Clear();
            _messages.Clear();
            foreach (var saved in snapshot.Devices)
            {
                var device = new Device(saved.Id, saved.Secret, saved.Tenant, saved.Session, saved.Number)
                {
                    Counter = saved.Counter,
                    RestrictedUntil = saved.RestrictedUntil,
                };
                device.Contacts.UnionWith(saved.Contacts);
                device.SentIds.UnionWith(saved.SentIds);
                _devices[device.Id] = device;
            }
            foreach (var saved in snapshot.Messages)
            {
                var content = saved.Content is { } bytes ? Content.Parser.ParseFrom(bytes) : new Content { Text = new TextContent { Body = saved.Text } };
                _messages[saved.Id] = new MessageRecord(saved.Id, saved.From, saved.To, content, saved.SendTime)
                {
                    Status = (SandboxMessage.Types.Status)saved.Status,
                    SenderDevice = saved.SenderDeviceId is { } sender ? _devices.GetValueOrDefault(sender) : null,
                    Typing = saved.Typing,
                };
            }
            foreach (var saved in snapshot.Phones)
            {
                var phone = new Phone(saved.Tenant, saved.Number, saved.CreateTime) { Online = saved.Online };
                phone.Messages.AddRange(saved.MessageIds.Select(id => _messages.GetValueOrDefault(id)).OfType<MessageRecord>());
                _phones[(phone.Tenant, phone.Number)] = phone;
            }
            foreach (var saved in snapshot.Devices)
            {
                foreach (var pending in saved.Backlog)
                {
                    _devices[saved.Id].Backlog.Enqueue(pending.MessageId is { } id
                        ? new Pending.Inbound(_messages[id])
                        : new Pending.ReceiptFrame(new Receipt
                        {
                            Id = pending.ReceiptId,
                            Status = (Receipt.Types.Status)pending.ReceiptStatus,
                            ErrorCode = pending.ErrorCode,
                            Error = pending.Error ?? "",
                            Time = pending.ReceiptTime is { } time ? Timestamp.FromDateTimeOffset(time) : null,
                        }));
                }
            }
            Changed();
        }
    }

    private static PendingSnapshot ToSnapshot(Pending pending) => pending switch
    {
        Pending.Inbound inbound => new PendingSnapshot(inbound.Message.Id, null, 0, 0, null),
        Pending.ReceiptFrame receipt => new PendingSnapshot(null, receipt.Receipt.Id, (int)receipt.Receipt.Status, receipt.Receipt.ErrorCode, receipt.Receipt.Error,
            receipt.Receipt.Time?.ToDateTimeOffset()),
        _ => throw new InvalidOperationException($"Unknown pending item {pending}."),
    };
}
