using Microsoft.Extensions.Logging;
using Wagate.Core;

namespace Wagate.Data.Messages;

/// <summary>Accepts sends in groups (<see cref="GroupCommit{TItem, TResult}"/>): each send is
/// answered once its group is durable (<see cref="GatewayMessageStore.AcceptAllAsync"/>). Four
/// groups of up to 256 sends are committed side by side.</summary>
public sealed class OutboxGroupCommit : IAsyncDisposable
{
    private readonly GroupCommit<OutboundSend, AcceptedMessage> _groups;

    public OutboxGroupCommit(WagateDbContextFactory contexts, ILogger<OutboxGroupCommit> logger)
    {
        _groups = new GroupCommit<OutboundSend, AcceptedMessage>(async sends =>
        {
            try
            {
                await using var db = contexts.CreateDbContext();
                return await new GatewayMessageStore(db).AcceptAllAsync(sends);
            }
            catch (Exception failed)
            {
                logger.LogError(failed, "Committing a group of {Count} sends failed", sends.Count);
                throw;
            }
        }, writers: 4, maxGroup: 256, stopping: "The gateway is stopping.");
    }

    /// <summary>Accepted, or refused with the store's error. Once handed over the send is
    /// committed or refused whatever the caller does, so there is no cancelling the wait: a caller
    /// that stopped waiting could not tell a refused send (whose media it must delete) from one
    /// committed a moment later (whose media the worker will read).</summary>
    public Task<AcceptedMessage> AcceptAsync(OutboundSend send) => _groups.SubmitAsync(send);

    public ValueTask DisposeAsync() => _groups.DisposeAsync();
}
