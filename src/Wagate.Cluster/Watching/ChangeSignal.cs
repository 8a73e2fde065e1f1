using System.Threading.Channels;

namespace Wagate.Cluster.Watching;

/// <summary>Wakes a reconciler (placement controller, ownership agent) when anything it reads
/// changes. One pending wake-up is enough: each pass reads everything afresh.</summary>
public sealed class ChangeSignal
{
    private readonly Channel<bool> _pending =
        Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Raise() => _pending.Writer.TryWrite(true);

    public async Task WaitAsync(CancellationToken cancellationToken) => await _pending.Reader.ReadAsync(cancellationToken);

    /// <summary>Raises once now, then on every change under any of <paramref name="prefixes"/>,
    /// until cancelled.</summary>
    public Task FollowAsync(ICoordinator coordinator, IEnumerable<string> prefixes, CancellationToken cancellationToken) =>
        Task.WhenAll(prefixes.Select(prefix => FollowAsync(coordinator, prefix, cancellationToken)));

    private async Task FollowAsync(ICoordinator coordinator, string prefix, CancellationToken cancellationToken)
    {
        var start = (await coordinator.GetPrefixAsync(prefix, cancellationToken)).Revision;
        Raise();
        await foreach (var _ in coordinator.WatchPrefixAsync(prefix, start, cancellationToken))
        {
            Raise();
        }
    }
}
