using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Wagate.Data.Messages;

/// <summary>Accepts sends in groups: what arrives while the groups in hand are being committed
/// goes together into the next one, and each send is answered once its group is durable
/// (<see cref="GatewayMessageStore.AcceptAllAsync"/>). With one send in flight a group is that
/// send; with many, a commit carries dozens. <see cref="Writers"/> groups are committed side by
/// side, so one slow commit does not hold the others.</summary>
public sealed class OutboxGroupCommit : IAsyncDisposable
{
    private const int Writers = 4;
    private const int MaxGroup = 256;

    private readonly WagateDbContextFactory _contexts;
    private readonly ILogger _logger;
    private readonly Channel<(OutboundSend Send, TaskCompletionSource<AcceptedMessage> Done)> _pending =
        Channel.CreateUnbounded<(OutboundSend, TaskCompletionSource<AcceptedMessage>)>();
    private readonly Task[] _writers;

    public OutboxGroupCommit(WagateDbContextFactory contexts, ILogger<OutboxGroupCommit> logger)
    {
        _contexts = contexts;
        _logger = logger;
        _writers = [.. Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteGroupsAsync))];
    }

    /// <summary>Accepted, or refused with the store's error. Once handed over the send is
    /// committed or refused whatever the caller does, so there is no cancelling the wait: a caller
    /// that stopped waiting could not tell a refused send (whose media it must delete) from one
    /// committed a moment later (whose media the worker will read).</summary>
    public Task<AcceptedMessage> AcceptAsync(OutboundSend send)
    {
        var done = new TaskCompletionSource<AcceptedMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.Writer.TryWrite((send, done)))
        {
            throw new ObjectDisposedException(nameof(OutboxGroupCommit), "The gateway is stopping.");
        }
        return done.Task;
    }

    private async Task WriteGroupsAsync()
    {
        var group = new List<(OutboundSend Send, TaskCompletionSource<AcceptedMessage> Done)>(MaxGroup);
        while (await _pending.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxGroup && _pending.Reader.TryRead(out var pending))
            {
                group.Add(pending);
            }
            if (group.Count == 0)
            {
                continue; // another writer took them
            }
            try
            {
                await using var db = _contexts.CreateDbContext();
                var outcomes = await new GatewayMessageStore(db).AcceptAllAsync([.. group.Select(g => g.Send)]);
                for (var i = 0; i < group.Count; i++)
                {
                    var outcome = outcomes[i];
                    if (outcome.IsCompletedSuccessfully)
                    {
                        group[i].Done.TrySetResult(outcome.Result);
                    }
                    else
                    {
                        group[i].Done.TrySetException(outcome.Exception!.InnerExceptions);
                    }
                }
            }
            catch (Exception failed)
            {
                _logger.LogError(failed, "Committing a group of {Count} sends failed", group.Count);
                foreach (var (_, done) in group)
                {
                    done.TrySetException(failed);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }
}
