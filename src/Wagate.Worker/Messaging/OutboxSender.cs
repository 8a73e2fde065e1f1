using Microsoft.Extensions.Logging;
using Wagate.Contracts.Message.V1;
using Wagate.Core;
using Wagate.Data.Messages;
using Wagate.Engines;

namespace Wagate.Worker.Messaging;

/// <summary>The session's outbox (the messages the gateway stored as QUEUED) sent through the open
/// connection in order, paced, with a typing indicator where asked. Paced, a message waits for the
/// one before it to be on its way and then for the gap; with no gap (pacing off), up to
/// <see cref="MaxInFlight"/> are handed to the engine before the first is on its way, so their
/// state changes share a write instead of taking one round trip each. The database is the
/// outbox: a message whose sender died is still QUEUED there and the next owner sends it; WhatsApp
/// (and the sandbox) drop a repeated message id, so a message sent just before a crash but not yet
/// marked SENT is not delivered twice.</summary>
internal sealed class OutboxSender(
    SessionLedger ledger, OutboundMedia media, WhatsAppReferences references, SendPacing pacing, TimeProvider clock, ILogger logger)
    : IAsyncDisposable
{
    /// <summary>How often the outbox is read again without a nudge: messages accepted while the
    /// nudge could not reach this worker are sent within this time.</summary>
    private static readonly TimeSpan RescanInterval = TimeSpan.FromSeconds(5);

    /// <summary>Messages read from the outbox at a time.</summary>
    private const int ReadBatch = 1000;

    /// <summary>Messages handed to the engine and not yet on their way, with pacing off.</summary>
    private const int MaxInFlight = 64;

    private readonly SemaphoreSlim _nudged = new(0, 1);
    private CancellationTokenSource? _sending;
    private Task _sender = Task.CompletedTask;
    private int _waiting;

    /// <summary>Queued messages read from the outbox at its last read and not handed to WhatsApp
    /// since: what pacing holds back. The outbox is read only while the session is connected, so a
    /// session that is not (yet) shows what its last read saw.</summary>
    public int Depth => Volatile.Read(ref _waiting);

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

    /// <summary>The session logged out: what is still queued fails, since no connection of this
    /// link will send it, and a new link may be another number, which must not send it either.</summary>
    /// <returns>False when another worker owns the session now: its queue is its own.</returns>
    public async Task<bool> FailQueuedAsync(CancellationToken cancellationToken)
    {
        var failure = new MessageFailure("SESSION_LOGGED_OUT", "The session logged out before the message was sent.");
        IReadOnlyList<Message> queued;
        do
        {
            queued = await ledger.QueuedAsync(ReadBatch, cancellationToken);
            if (queued.Count == 0)
            {
                break;
            }
            var now = clock.GetUtcNow().UtcDateTime;
            var writes = await ledger.RecordStatusesAsync(
                [.. queued.Select(message => new StatusReport(MessageReferences.IdOf(message.Name), Message.Types.State.Failed, now, failure))]);
            if (!writes[0].Owned)
            {
                return false;
            }
            foreach (var message in queued)
            {
                await media.OnFailedUnsentAsync(MessageReferences.IdOf(message.Name), message.Content);
            }
        }
        while (queued.Count == ReadBatch);
        Volatile.Write(ref _waiting, 0); // none waits to be sent any more
        return true;
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
                    logger.LogError(failed, "Sending the outbox of {Session} failed; trying again in {Pause}", ledger.Key, RescanInterval);
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
        var waiting = (await ledger.QueuedAsync(ReadBatch, stop))
            .Select(message => (Message: message, Id: MessageReferences.IdOf(message.Name)))
            .Where(queued => !handed.Contains(queued.Id))
            .ToList();
        Volatile.Write(ref _waiting, waiting.Count);
        var inFlight = new Queue<Task>();
        try
        {
            foreach (var (message, id) in waiting)
            {
                var sending = await StartSendingAsync(connection, id, message, stop);
                handed.Add(id);
                Interlocked.Decrement(ref _waiting);
                if (sending is null)
                {
                    continue;
                }
                var gap = pacing.NextGap();
                if (gap > TimeSpan.Zero)
                {
                    await sending;
                    await Task.Delay(gap, clock, stop);
                    continue;
                }
                inFlight.Enqueue(sending);
                if (inFlight.Count >= MaxInFlight)
                {
                    await inFlight.Dequeue(); // they complete in order: the oldest first
                }
            }
            while (inFlight.TryDequeue(out var sending))
            {
                await sending;
            }
        }
        finally
        {
            // After a failure, the sends still in flight end with it (the connection is closing); none is left unobserved.
            await Task.WhenAll(inFlight).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    /// <summary>Hands one message to WhatsApp; the task completes once it is on its way. Null when
    /// it failed instead (its media is gone).</summary>
    private async Task<Task?> StartSendingAsync(IEngineConnection connection, string id, Message message, CancellationToken stop)
    {
        if (await media.ContentToSendAsync(id, message.Content, stop) is not { } withMedia)
        {
            return null;
        }
        var content = await references.ToWhatsAppAsync(withMedia, stop);
        await ShowTypingAsync(connection, message.Chat, content, message.Typing?.ToTimeSpan() ?? pacing.Typing, stop);
        return connection.SendAsync(new OutgoingMessage(id, message.Chat, content), stop);
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

    public async ValueTask DisposeAsync()
    {
        Detach();
        await _sender;
        _nudged.Dispose();
    }
}
