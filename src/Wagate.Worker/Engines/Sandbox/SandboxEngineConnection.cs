using System.Buffers.Binary;
using System.Threading.Channels;
using Google.Protobuf;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Sandbox;

namespace Wagate.Worker.Engines.Sandbox;

/// <summary>Translates one sandbox network connection into engine events, and commands into
/// frames. Like Baileys, it acknowledges an inbound message only after the state change it
/// caused is durable, so a crash can never leave the network ahead of the stored state.</summary>
internal sealed class SandboxEngineConnection : IEngineConnection
{
    private const string CredentialsKey = "sandbox/credentials";
    private const string CounterKey = "sandbox/counter";

    private readonly ISandboxConnection _connection;
    private readonly Channel<EngineEvent> _events = Channel.CreateUnbounded<EngineEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;

    private SandboxEngineConnection(ISandboxConnection connection)
    {
        _connection = connection;
        _pump = Task.Run(PumpAsync);
    }

    public ChannelReader<EngineEvent> Events => _events.Reader;

    public static async Task<SandboxEngineConnection> OpenAsync(ISandboxConnection connection, EngineStart start, CancellationToken cancellationToken)
    {
        var credentials = start.State.Get(CredentialsKey) is { } stored ? DeviceCredentials.Parser.ParseFrom(stored) : null;
        var counter = start.State.Get(CounterKey) is { } bytes ? BinaryPrimitives.ReadInt64LittleEndian(bytes) : 0;
        var hello = new Hello { Tenant = start.Tenant, Session = start.Session, Credentials = credentials, StateCounter = counter };
        await connection.SendAsync(new ConnectRequest { Hello = hello }, cancellationToken);
        return new SandboxEngineConnection(connection);
    }

    public Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default) =>
        _connection.SendAsync(new ConnectRequest { Send = new OutboundMessage { Id = message.Id, To = message.To, Text = message.Text } }, cancellationToken).AsTask();

    public Task RequestPairingCodeAsync(string phoneNumber, CancellationToken cancellationToken = default) =>
        _connection.SendAsync(new ConnectRequest { PairingCodeRequest = new PairingCodeRequest { PhoneNumber = phoneNumber } }, cancellationToken).AsTask();

    public Task LogoutAsync(CancellationToken cancellationToken = default) =>
        _connection.SendAsync(new ConnectRequest { Logout = new LogoutRequest() }, cancellationToken).AsTask();

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _pump;
    }

    private async Task PumpAsync()
    {
        var closed = false;
        try
        {
            await foreach (var frame in _connection.Responses.ReadAllAsync())
            {
                if (frame.StateCounter != 0 && !await PersistCounterAsync(frame))
                {
                    break;
                }
                closed |= await HandleAsync(frame);
            }
        }
        catch (ChannelClosedException)
        {
            // The connection failed underneath us; reported as a lost connection below.
        }
        if (!closed)
        {
            _events.Writer.TryWrite(new EngineEvent.Closed(CloseCode.TimedOutOrQrEnded, "connection lost"));
        }
        _events.Writer.TryComplete();
    }

    /// <summary>Returns true when the frame closed the connection.</summary>
    private async Task<bool> HandleAsync(ConnectResponse frame)
    {
        switch (frame.FrameCase)
        {
            case ConnectResponse.FrameOneofCase.Qr:
                Emit(new EngineEvent.QrCodeShown(frame.Qr.Code, frame.Qr.ExpireTime.ToDateTimeOffset(), frame.Qr.Sequence));
                break;
            case ConnectResponse.FrameOneofCase.PairingCode:
                Emit(new EngineEvent.PairingCodeIssued(frame.PairingCode.Code, frame.PairingCode.ExpireTime.ToDateTimeOffset()));
                break;
            case ConnectResponse.FrameOneofCase.Paired:
                await PersistAsync(new Dictionary<string, byte[]?> { [CredentialsKey] = frame.Paired.Credentials.ToByteArray() });
                break;
            case ConnectResponse.FrameOneofCase.Open:
                Emit(new EngineEvent.Opened(frame.Open.PhoneNumber));
                break;
            case ConnectResponse.FrameOneofCase.Receipt:
                Emit(new EngineEvent.MessageStatusChanged(frame.Receipt.Id, StatusOf(frame.Receipt.Status), frame.Receipt.ErrorCode, frame.Receipt.Error));
                break;
            case ConnectResponse.FrameOneofCase.Inbound:
                var inbound = frame.Inbound;
                if (inbound.Undecryptable)
                {
                    Emit(new EngineEvent.DecryptionFailed(inbound.Id, inbound.From));
                    break;
                }
                await _connection.SendAsync(new ConnectRequest { InboundAck = new InboundAck { Id = inbound.Id } });
                Emit(new EngineEvent.MessageReceived(inbound.Id, inbound.From, inbound.Text, inbound.SendTime.ToDateTimeOffset(), inbound.Offline));
                break;
            case ConnectResponse.FrameOneofCase.Restriction:
                Emit(new EngineEvent.Restricted(frame.Restriction.Reason, frame.Restriction.Until.ToDateTimeOffset()));
                break;
            case ConnectResponse.FrameOneofCase.Close:
                Emit(new EngineEvent.Closed(frame.Close.Code, frame.Close.Reason));
                return true;
        }
        return false;
    }

    /// <summary>False when the state could not be made durable: the connection must not go on
    /// acknowledging frames, so it is dropped.</summary>
    private async Task<bool> PersistCounterAsync(ConnectResponse frame)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, frame.StateCounter);
        return await PersistAsync(new Dictionary<string, byte[]?> { [CounterKey] = bytes });
    }

    private async Task<bool> PersistAsync(Dictionary<string, byte[]?> changes)
    {
        var changed = new EngineEvent.StateChanged(new StateDelta(changes));
        Emit(changed);
        try
        {
            await changed.Durable;
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await _connection.DisposeAsync();
            return false;
        }
    }

    private void Emit(EngineEvent engineEvent) => _events.Writer.TryWrite(engineEvent);

    private static MessageDeliveryStatus StatusOf(Receipt.Types.Status status) => status switch
    {
        Receipt.Types.Status.ServerAck => MessageDeliveryStatus.ServerAck,
        Receipt.Types.Status.Delivered => MessageDeliveryStatus.Delivered,
        Receipt.Types.Status.Read => MessageDeliveryStatus.Read,
        _ => MessageDeliveryStatus.Error,
    };
}
