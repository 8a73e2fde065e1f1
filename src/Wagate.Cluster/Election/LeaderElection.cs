using System.Text;

namespace Wagate.Cluster.Election;

/// <summary>Elects one leader among many candidates, as etcd's concurrency package does: the
/// leader holds a key under its lease (create-if-absent); the others watch it and try again once
/// it is gone. Leadership alone is not mutual exclusion (a paused leader may not know it was
/// deposed), so the term carries a fencing token, the key's create revision, for the leader to
/// guard its writes with (<see cref="ICoordinator.CommitIfOwnerAsync"/>).</summary>
public sealed class LeaderElection(ICoordinator coordinator, string electionKey, string candidate, TimeSpan leaseTtl)
{
    /// <summary>Waits until this candidate leads, then returns its term. Leadership ends when the
    /// term's <see cref="LeaderTerm.Lost"/> is cancelled (lease lost) or the term is disposed (resign).</summary>
    public async Task<LeaderTerm> CampaignAsync(CancellationToken cancellationToken = default)
    {
        var value = Encoding.UTF8.GetBytes(candidate);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lease = await coordinator.GrantLeaseAsync(leaseTtl, cancellationToken);
            try
            {
                if (await coordinator.TryCreateAsync(electionKey, value, lease.Id, cancellationToken) is { } token)
                {
                    return new LeaderTerm(lease, electionKey, token);
                }
            }
            catch
            {
                await lease.DisposeAsync();
                throw;
            }
            await lease.DisposeAsync();
            await WaitForVacancyAsync(cancellationToken);
        }
    }

    /// <summary>The current leader's name, or null when there is none.</summary>
    public async Task<string?> LeaderAsync(CancellationToken cancellationToken = default) =>
        await coordinator.GetAsync(electionKey, cancellationToken) is { } held ? Encoding.UTF8.GetString(held.Value) : null;

    private async Task WaitForVacancyAsync(CancellationToken cancellationToken)
    {
        var snapshot = await coordinator.GetPrefixAsync(electionKey, cancellationToken);
        if (!snapshot.Items.Any(item => item.Key == electionKey))
        {
            return;
        }
        await foreach (var change in coordinator.WatchPrefixAsync(electionKey, snapshot.Revision, cancellationToken))
        {
            var vacant = change switch
            {
                WatchEvent.Deleted deleted => deleted.Key == electionKey,
                WatchEvent.Resync resync => !resync.Items.Any(item => item.Key == electionKey),
                _ => false,
            };
            if (vacant)
            {
                return;
            }
        }
    }
}

/// <summary>One candidate's time as leader.</summary>
public sealed class LeaderTerm(ILease lease, string electionKey, long fencingToken) : IAsyncDisposable
{
    /// <summary>The election key's create revision: writes guarded by it fail once another term began.</summary>
    public long FencingToken => fencingToken;

    public string ElectionKey => electionKey;

    /// <summary>Cancelled when the lease may have ended; stop leading at once.</summary>
    public CancellationToken Lost => lease.Lost;

    /// <summary>Stops renewing without resigning, as a frozen process would (for tests and drills).</summary>
    public void StopKeepAlive() => lease.StopKeepAlive();

    /// <summary>Resigns: the key vanishes and another candidate takes over at once.</summary>
    public ValueTask DisposeAsync() => lease.DisposeAsync();
}
