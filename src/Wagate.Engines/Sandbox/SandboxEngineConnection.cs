using System.Buffers.Binary;
using System.Threading.Channels;
using Google.Protobuf;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Core;
using Wagate.Sandbox;
using Wagate.WhatsApp;

namespace Wagate.Engines.Sandbox;

/// <summary>Translates one sandbox network connection into engine events, and commands into
/// frames. Like Baileys, it acknowledges an inbound message only after the state change it
/// caused is durable, so a crash can never leave the network ahead of the stored state.</summary>
internal sealed class SandboxEngineConnection : IEngineConnection
{
    private const string CredentialsKey = "sandbox/credentials";
    private const string CounterKey = "sandbox/counter";

    private readonly ISandboxConnection _connection;
    private readonly string _session;
    private readonly Channel<EngineEvent> _events = Channel.CreateUnbounded<EngineEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;

    /// <summary>Orders the steps of the state counter: under it a step is taken and its change
    /// handed to the runtime, so changes reach the store in the order of their steps and the
    /// stored value never goes back. The wait for durability happens outside it, so sends in
    /// flight together share one write.</summary>
    private readonly Lock _counterGate = new();
    /// <summary>The last step taken, and when it is durable.</summary>
    private long _counter;
    private Task<bool> _counterStored = Task.FromResult(true);
    /// <summary>The last send's stanza written (or abandoned): the next one follows it.</summary>
    private Task _lastStanza = Task.CompletedTask;

    private SandboxEngineConnection(ISandboxConnection connection, string session, long counter)
    {
        _connection = connection;
        _session = session;
        _counter = counter;
        _pump = Task.Run(PumpAsync);
    }

    public ChannelReader<EngineEvent> Events => _events.Reader;

    public static async Task<SandboxEngineConnection> OpenAsync(ISandboxConnection connection, EngineStart start, CancellationToken cancellationToken)
    {
        var credentials = start.State.Get(CredentialsKey) is { } stored ? DeviceCredentials.Parser.ParseFrom(stored) : null;
        var counter = start.State.Get(CounterKey) is { } bytes ? BinaryPrimitives.ReadInt64LittleEndian(bytes) : 0;
        var hello = new Hello { Tenant = start.Tenant, Session = start.Session, Credentials = credentials, StateCounter = counter, AcknowledgesReceipts = true };
        await connection.SendAsync(new ConnectRequest { Hello = hello }, cancellationToken);
        return new SandboxEngineConnection(connection, start.Session, counter);
    }

    /// <summary>Advances and stores the state counter before the message leaves, as a Signal
    /// sender stores its advanced chain before transmitting: a crash right after sending must
    /// not leave the network ahead of the stored state, or every later message fails to decrypt.
    /// Sends in flight together each take their own step at once and wait for their changes side
    /// by side (the runtime merges them into one write); their stanzas then leave in step order.</summary>
    public async Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message.Content);
        var send = new OutboundMessage { Id = message.Id, To = message.To, Content = ToWire(message.Content) };
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<bool> stored;
        Task previous;
        lock (_counterGate)
        {
            send.StateCounter = ++_counter;
            stored = _counterStored = PersistAsync(new Dictionary<string, byte[]?> { [CounterKey] = CounterBytes(_counter) }, cancellationToken);
            previous = _lastStanza;
            _lastStanza = written.Task;
        }
        try
        {
            if (!await stored)
            {
                throw new InvalidOperationException($"The state of {_session} could not be stored; the message was not sent.");
            }
            await previous;
            await _connection.SendAsync(new ConnectRequest { Send = send }, cancellationToken);
        }
        finally
        {
            written.TrySetResult();
        }
    }

    public Task SendChatStateAsync(string chat, ChatState state, CancellationToken cancellationToken = default) =>
        _connection.SendAsync(new ConnectRequest
        {
            Presence = new ChatPresence
            {
                To = chat,
                State = state switch
                {
                    ChatState.Typing => ChatPresence.Types.State.Composing,
                    ChatState.Recording => ChatPresence.Types.State.Recording,
                    _ => ChatPresence.Types.State.Paused,
                },
            },
        }, cancellationToken).AsTask();

    public Task MarkReadAsync(string chat, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default) =>
        _connection.SendAsync(new ConnectRequest { ReadMessages = new ReadMessages { Chat = chat, Ids = { messageIds } } }, cancellationToken).AsTask();

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
                if (frame.StateCounter != 0 && !await AdvanceCounterAsync(frame.StateCounter))
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
            _events.Writer.TryWrite(new EngineEvent.Closed(CloseReason.ConnectionLost, CloseCodes.ConnectionClosed, "connection lost"));
        }
        _events.Writer.TryComplete();
    }

    /// <summary>What a close of the sandbox network means. Unlike WhatsApp, the network uses 408
    /// only when the QR references ran out: a lost connection shows here as the stream ending.</summary>
    internal static CloseReason ReasonOf(int code) => code switch
    {
        CloseCodes.LoggedOut => CloseReason.LoggedOut,
        CloseCodes.Replaced => CloseReason.Replaced,
        CloseCodes.RestartRequired => CloseReason.RestartRequired,
        CloseCodes.TimedOut => CloseReason.QrCodesEnded,
        _ => CloseReason.ConnectionLost,
    };

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
                var receipt = frame.Receipt;
                var status = new EngineEvent.MessageStatusChanged(receipt.Id, StatusOf(receipt.Status), receipt.ErrorCode, receipt.Error,
                    receipt.Time?.ToDateTimeOffset() ?? DateTimeOffset.UtcNow);
                Emit(status);
                _ = AcknowledgeWhenRecordedAsync(status, receipt);
                break;
            case ConnectResponse.FrameOneofCase.Inbound:
                var inbound = frame.Inbound;
                if (inbound.Undecryptable)
                {
                    Emit(new EngineEvent.DecryptionFailed(inbound.Id, inbound.From));
                    break;
                }
                var received = new EngineEvent.MessageReceived(inbound.Id, inbound.From, FromWire(inbound), inbound.SendTime.ToDateTimeOffset(), inbound.Offline);
                Emit(received);
                if (!await SettledAsync(received.Recorded))
                {
                    return false; // not stored: never acknowledged, so the network hands it over again
                }
                await _connection.SendAsync(new ConnectRequest { InboundAck = new InboundAck { Id = inbound.Id } });
                break;
            case ConnectResponse.FrameOneofCase.Restriction:
                Emit(new EngineEvent.Restricted(frame.Restriction.Reason, frame.Restriction.Until.ToDateTimeOffset()));
                break;
            case ConnectResponse.FrameOneofCase.Close:
                Emit(new EngineEvent.Closed(ReasonOf(frame.Close.Code), frame.Close.Code, frame.Close.Reason));
                return true;
        }
        return false;
    }

    /// <summary>Stores a counter the network handed over, unless a step as far is taken already
    /// (then waits until that one is stored). The frame is acknowledged only after the stanzas of
    /// the steps taken so far are written too: the network proposed its counter before it saw
    /// them, and a stanza arriving after the acknowledgement with a step the network now counts
    /// as used would look like lost state.</summary>
    /// <returns>False when the state could not be made durable: the connection must not go on
    /// acknowledging frames, so it is dropped.</returns>
    private async Task<bool> AdvanceCounterAsync(long counter)
    {
        Task<bool> stored;
        Task stanzas;
        lock (_counterGate)
        {
            if (counter > _counter)
            {
                _counter = counter;
                _counterStored = PersistAsync(new Dictionary<string, byte[]?> { [CounterKey] = CounterBytes(counter) });
            }
            stored = _counterStored;
            stanzas = _lastStanza;
        }
        await stanzas;
        return await stored;
    }

    private static byte[] CounterBytes(long counter)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, counter);
        return bytes;
    }

    /// <summary>Hands the change to the runtime at once (before the first await, so under the
    /// counter gate the order of changes is the order of calls) and waits until it is stored. A
    /// send that is cancelled (its connection closing) stops waiting: once the runtime stops
    /// reading this connection's events, nothing would make the change durable.</summary>
    private async Task<bool> PersistAsync(Dictionary<string, byte[]?> changes, CancellationToken cancellationToken = default)
    {
        var changed = new EngineEvent.StateChanged(new StateDelta(changes));
        Emit(changed);
        return await SettledAsync(changed.Durable.WaitAsync(cancellationToken));
    }

    /// <summary>Waits for the runtime to store what an event carries; when it could not, the
    /// connection is dropped, so that nothing unstored is ever acknowledged.</summary>
    private async Task<bool> SettledAsync(Task stored)
    {
        try
        {
            await stored;
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await _connection.DisposeAsync();
            return false;
        }
    }

    private void Emit(EngineEvent engineEvent) => _events.Writer.TryWrite(engineEvent);

    /// <summary>Acknowledges a receipt once the runtime recorded it, without holding up the
    /// frames behind it; one never recorded stays unacknowledged, and comes again.</summary>
    private async Task AcknowledgeWhenRecordedAsync(EngineEvent.MessageStatusChanged status, Receipt receipt)
    {
        try
        {
            await status.Recorded;
            await _connection.SendAsync(new ConnectRequest { ReceiptAck = new ReceiptAck { Id = receipt.Id, Status = receipt.Status } });
        }
        catch (Exception)
        {
            // Not recorded, or the connection is gone: the network hands the receipt over again.
        }
    }

    private static MessageDeliveryStatus StatusOf(Receipt.Types.Status status) => status switch
    {
        Receipt.Types.Status.ServerAck => MessageDeliveryStatus.ServerAck,
        Receipt.Types.Status.Delivered => MessageDeliveryStatus.Delivered,
        Receipt.Types.Status.Read => MessageDeliveryStatus.Read,
        Receipt.Types.Status.Played => MessageDeliveryStatus.Played,
        _ => MessageDeliveryStatus.Error,
    };

    /// <summary>The content as the device puts it on the wire: earlier messages named by id, as
    /// the network knows them, and inline media replaced by its size and SHA-256, as Baileys
    /// uploads media to WhatsApp's media servers and sends only a message pointing at it. A URL
    /// goes as it is: the sandbox fetches nothing (Baileys would download it to upload it).</summary>
    private static Content ToWire(Content content)
    {
        var wire = content.Clone();
        wire.ReplyTo = MessageReferences.IdOf(wire.ReplyTo);
        if (wire.KindCase == Content.KindOneofCase.Reaction)
        {
            wire.Reaction.MessageId = MessageReferences.IdOf(wire.Reaction.MessageId);
        }
        if (MessageContents.MediaOf(wire) is { SourceCase: MediaContent.SourceOneofCase.None })
        {
            // A device uploads media it has: a hash alone would send the recipient nothing to open.
            throw new ArgumentException("Media must come by URL or inline data, not by its size and SHA-256 alone.", nameof(content));
        }
        return MessageContents.WithoutInlineData(wire);
    }

    /// <summary>The content of an inbound message: the message it replies to named as a resource
    /// of this session, a reaction's message by id as the contract has it. A network that sent
    /// only text leaves <c>content</c> out.</summary>
    private Content FromWire(InboundMessage inbound)
    {
        if (inbound.Content is null)
        {
            return new Content { Text = new TextContent { Body = inbound.Text } };
        }
        var content = inbound.Content.Clone();
        content.ReplyTo = MessageReferences.NameOf(_session, content.ReplyTo);
        return content;
    }
}
