using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Wagate.Contracts.Message.V1;
using Wagate.Core;
using Wagate.Data.Messages;
using Wagate.Engines;
using Wagate.WhatsApp;
using Wagate.Worker.Runtime;
using Wagate.Worker.Telemetry;

namespace Wagate.Worker.Messaging;

/// <summary>One session's messages on the worker that owns it: its outbox (the messages the
/// gateway stored as QUEUED) sent through the open connection one at a time with pacing, the
/// receipts that move them on, and the messages it receives, stored before the engine
/// acknowledges them. Every write goes through the <see cref="IWorkerMessageLedger"/> under the
/// session's fencing token, so once another worker owns the session nothing written here counts.
/// The database is the outbox: a message whose sender died is still QUEUED there, and the next
/// owner sends it; WhatsApp (and the sandbox) drop a repeated message id, so a message sent just
/// before a crash but not yet marked SENT is not delivered twice. What the ledger records is
/// counted in <paramref name="metrics"/>, if given.</summary>
public sealed class SessionMessaging(
    SessionKey key, long fencingToken, WorkerMessaging messaging, TimeProvider clock, ILogger logger, WorkerMetrics? metrics = null)
    : IAsyncDisposable
{
    /// <summary>How often the outbox is read again without a nudge: messages accepted while the
    /// nudge could not reach this worker are sent within this time.</summary>
    private static readonly TimeSpan RescanInterval = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _nudged = new(0, 1);

    /// <summary>Messages sent with media from the media store, whose copy there goes once
    /// WhatsApp took (or refused) them.</summary>
    private readonly ConcurrentDictionary<string, bool> _sentWithStoredMedia = new(StringComparer.Ordinal);

    private readonly WhatsAppReferences _references = new(key, messaging.Ledger);
    private CancellationTokenSource? _sending;
    private Task _sender = Task.CompletedTask;
    private int _waiting;

    /// <summary>Queued messages read from the outbox at its last read and not handed to WhatsApp
    /// since: what pacing holds back. The outbox is read only while the session is connected, so a
    /// session that is not (yet) shows what its last read saw.</summary>
    public int OutboxDepth => Volatile.Read(ref _waiting);

    /// <summary>Makes this worker's token the session's owner in the ledger; false when a newer
    /// owner has claimed it (this worker must not run it).</summary>
    public Task<bool> ClaimAsync(CancellationToken cancellationToken) =>
        messaging.Ledger.ClaimSessionAsync(key.TenantId, key.SessionId, fencingToken, cancellationToken);

    /// <summary>New messages wait in the outbox.</summary>
    public void Nudge()
    {
        try
        {
            _nudged.Release();
        }
        catch (SemaphoreFullException)
        {
            // A nudge is already pending: the next read of the outbox sees every message.
        }
    }

    /// <summary>The connection opened: send the outbox through it until it closes.</summary>
    public void Attach(IEngineConnection connection)
    {
        Detach();
        _sending = new CancellationTokenSource();
        var stop = _sending.Token;
        _sender = Task.Run(() => SendAsync(connection, stop), CancellationToken.None);
    }

    /// <summary>The connection closed: stop sending through it.</summary>
    public void Detach()
    {
        _sending?.Cancel();
        _sending?.Dispose();
        _sending = null;
    }

    /// <summary>Records what a receipt says; receipts for messages this session did not send
    /// through us (or stale ones) change nothing. False when another worker owns the session.</summary>
    public async Task<bool> OnStatusAsync(EngineEvent.MessageStatusChanged status, CancellationToken cancellationToken)
    {
        Message.Types.State? state = status.Status switch
        {
            MessageDeliveryStatus.ServerAck => Message.Types.State.Sent,
            MessageDeliveryStatus.Delivered => Message.Types.State.Delivered,
            MessageDeliveryStatus.Read => Message.Types.State.Read,
            MessageDeliveryStatus.Played => Message.Types.State.Played,
            MessageDeliveryStatus.Error => Message.Types.State.Failed,
            _ => null,
        };
        if (state is null)
        {
            return true;
        }
        var failure = state == Message.Types.State.Failed
            ? new MessageFailure(FailureReason(status.ErrorCode), status.Error.Length > 0 ? status.Error : $"WhatsApp refused the message ({status.ErrorCode}).")
            : null;
        var write = await messaging.Ledger.RecordStatusAsync(key.TenantId, key.SessionId, fencingToken, status.Id, state.Value, status.Time.UtcDateTime, failure, cancellationToken);
        if (!write.Owned)
        {
            logger.LogInformation("{Session} is owned under a newer token: the {State} receipt of {Message} is not recorded here", key, state, status.Id);
            return false;
        }
        Count(write);
        if (state is Message.Types.State.Sent or Message.Types.State.Failed && _sentWithStoredMedia.TryRemove(status.Id, out _))
        {
            await ForgetMediaAsync(status.Id);
        }
        return true;
    }

    /// <summary>The session logged out: what is still queued fails, since no connection of this
    /// link will send it, and a new link may be another number, which must not send it either.</summary>
    public async Task FailQueuedAsync(CancellationToken cancellationToken)
    {
        var failure = new MessageFailure("SESSION_LOGGED_OUT", "The session logged out before the message was sent.");
        const int Batch = 1000;
        IReadOnlyList<Message> queued;
        do
        {
            queued = await messaging.Ledger.QueuedAsync(key.TenantId, key.SessionId, Batch, cancellationToken);
            foreach (var message in queued)
            {
                var id = MessageReferences.IdOf(message.Name);
                var write = await messaging.Ledger.RecordStatusAsync(key.TenantId, key.SessionId, fencingToken, id, Message.Types.State.Failed,
                    clock.GetUtcNow().UtcDateTime, failure, cancellationToken);
                if (!write.Owned)
                {
                    return; // another worker owns the session now: its queue is its own
                }
                Count(write);
                _sentWithStoredMedia.TryRemove(id, out _);
                if (StoredMediaOf(message.Content) is not null)
                {
                    await ForgetMediaAsync(id);
                }
            }
        }
        while (queued.Count == Batch);
        Volatile.Write(ref _waiting, 0); // none waits to be sent any more
    }

    /// <summary>Stores a received message, then lets the engine acknowledge it; a message that
    /// could not be stored is never acknowledged, so the network hands it over again.</summary>
    public async Task OnReceivedAsync(EngineEvent.MessageReceived received, CancellationToken cancellationToken)
    {
        try
        {
            var content = await _references.FromWhatsAppAsync(MessageContents.WithoutInlineData(received.Content), cancellationToken);
            var write = await messaging.Ledger.RecordInboundAsync(key.TenantId, key.SessionId, fencingToken, received.Id, received.From,
                content, received.SendTime.UtcDateTime, cancellationToken);
            if (write.Owned)
            {
                Count(write);
                received.MarkRecorded();
            }
            else
            {
                received.MarkFailed(new InvalidOperationException($"{key} is owned by another worker now."));
            }
        }
        catch (Exception failed)
        {
            logger.LogError(failed, "Storing message {Message} received by {Session} failed", received.Id, key);
            received.MarkFailed(failed);
            throw;
        }
    }

    private async Task SendAsync(IEngineConnection connection, CancellationToken stop)
    {
        // Handed to this connection and not yet acknowledged by the server: not sent again
        // through it. A new connection sends whatever is still QUEUED, which the network
        // deduplicates by id.
        var handed = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await SendQueuedAsync(connection, handed, stop);
                }
                catch (Exception failed) when (!stop.IsCancellationRequested)
                {
                    // The outbox stays as it is and is read again after the pause: the database
                    // or media store that failed may be back by then.
                    logger.LogError(failed, "Sending the outbox of {Session} failed; trying again in {Pause}", key, RescanInterval);
                }
                await _nudged.WaitAsync(RescanInterval, stop);
            }
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // The connection closed or the session stopped (whatever that made a call throw);
            // the next connection carries on.
        }
    }

    private async Task SendQueuedAsync(IEngineConnection connection, HashSet<string> handed, CancellationToken stop)
    {
        var waiting = (await messaging.Ledger.QueuedAsync(key.TenantId, key.SessionId, cancellationToken: stop))
            .Select(message => (Message: message, Id: MessageReferences.IdOf(message.Name)))
            .Where(queued => !handed.Contains(queued.Id))
            .ToList();
        Volatile.Write(ref _waiting, waiting.Count);
        foreach (var (message, id) in waiting)
        {
            var sent = await SendOneAsync(connection, id, message, stop);
            handed.Add(id);
            Interlocked.Decrement(ref _waiting);
            if (sent)
            {
                await Task.Delay(messaging.Pacing.NextGap(), clock, stop);
            }
        }
    }

    /// <summary>Hands one message to WhatsApp; false when it failed instead (its media is gone).</summary>
    private async Task<bool> SendOneAsync(IEngineConnection connection, string id, Message message, CancellationToken stop)
    {
        if (await ContentToSendAsync(id, message.Content, stop) is not { } withMedia)
        {
            return false;
        }
        var content = await _references.ToWhatsAppAsync(withMedia, stop);
        await ShowTypingAsync(connection, message.Chat, content, message.Typing?.ToTimeSpan() ?? messaging.Pacing.Typing, stop);
        await connection.SendAsync(new OutgoingMessage(id, message.Chat, content), stop);
        return true;
    }

    /// <summary>With a typing time (the message's own, or the pacing's), the chat sees
    /// "typing..." ("recording audio..." before a voice note) that long before the message, which
    /// ends it. Nobody types a reaction.</summary>
    private async Task ShowTypingAsync(IEngineConnection connection, string chat, Content content, TimeSpan typing, CancellationToken cancellationToken)
    {
        if (typing <= TimeSpan.Zero || content.KindCase == Content.KindOneofCase.Reaction)
        {
            return;
        }
        var state = content.KindCase == Content.KindOneofCase.Audio && content.Audio.VoiceNote ? ChatState.Recording : ChatState.Typing;
        await connection.SendChatStateAsync(chat, state, cancellationToken);
        await Task.Delay(typing, clock, cancellationToken);
    }

    /// <summary>The content with its inline media back from the media store (the outbox keeps
    /// only the media's SHA-256), or null when the media is gone: that message fails rather than
    /// holding up the ones behind it.</summary>
    private async Task<Content?> ContentToSendAsync(string id, Content stored, CancellationToken cancellationToken)
    {
        if (StoredMediaOf(stored) is null)
        {
            return stored;
        }
        byte[]? data;
        try
        {
            data = await messaging.Media.GetAsync(key.TenantId, id, cancellationToken);
        }
        catch (InvalidDataException damaged)
        {
            logger.LogError(damaged, "The media of message {Message} of {Session} cannot be opened", id, key);
            data = null;
        }
        if (data is null)
        {
            Count(await messaging.Ledger.RecordStatusAsync(key.TenantId, key.SessionId, fencingToken, id, Message.Types.State.Failed, clock.GetUtcNow().UtcDateTime,
                new MessageFailure("MEDIA_UNAVAILABLE", "The media sent inline with this message is no longer stored; send the message again."),
                cancellationToken));
            return null;
        }
        var content = stored.Clone();
        MessageContents.MediaOf(content)!.Data = Google.Protobuf.ByteString.CopyFrom(data);
        _sentWithStoredMedia[id] = true;
        return content;
    }

    /// <summary>Media sent inline, whose bytes wait in the media store: the outbox has only its
    /// size and SHA-256.</summary>
    private static MediaContent? StoredMediaOf(Content content) =>
        MessageContents.MediaOf(content) is { SourceCase: MediaContent.SourceOneofCase.None, Sha256.Length: > 0 } media ? media : null;

    /// <summary>WhatsApp has the media now (or refused it for good): the stored copy goes. A copy
    /// that could not be deleted only takes space.</summary>
    private async Task ForgetMediaAsync(string id)
    {
        try
        {
            await messaging.Media.DeleteAsync(key.TenantId, id, CancellationToken.None);
        }
        catch (Exception failed)
        {
            logger.LogWarning(failed, "The media of message {Message} of {Session} stays in the blob store", id, key);
        }
    }

    /// <summary>Only a write that changed the message counts: a receipt reported again does not.</summary>
    private void Count(LedgerWrite write)
    {
        if (write.Changed is { } changed)
        {
            metrics?.Recorded(changed);
        }
    }

    /// <summary>WhatsApp's error codes as the reasons a client can act on.</summary>
    private static string FailureReason(int code) => code switch
    {
        ReceiptErrorCodes.InvalidContent => "INVALID_CONTENT",
        ReceiptErrorCodes.NotOnWhatsApp => "RECIPIENT_NOT_ON_WHATSAPP",
        ReceiptErrorCodes.MediaTooLarge => "MEDIA_TOO_LARGE",
        ReceiptErrorCodes.Restricted => "RESTRICTED",
        _ => "SEND_FAILED",
    };

    public async ValueTask DisposeAsync()
    {
        Detach();
        await _sender;
        _nudged.Dispose();
    }
}
