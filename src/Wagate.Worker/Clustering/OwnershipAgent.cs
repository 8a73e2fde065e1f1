using System.Text;
using Microsoft.Extensions.Logging;
using Wagate.Cluster;
using Wagate.Cluster.Membership;
using Wagate.Cluster.Placement;
using Wagate.Cluster.Watching;
using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Worker.Runtime;

namespace Wagate.Worker.Clustering;

/// <summary>Runs on a cluster worker: follows the placement map and runs exactly the sessions
/// placed here that it owns. To run one it takes the session's owner key
/// (<c>/wagate/owners/{tenant}/{session}</c>) bound to its registration lease; the key's create
/// revision is the fencing token the session's writes carry. A session placed elsewhere is
/// stopped (its device stays linked, its state flushed) and its owner key released, which lets
/// the new worker take it. If the lease is lost, every session stops at once and none
/// reconnects: another worker may already own them.</summary>
public sealed class OwnershipAgent : IAsyncDisposable
{
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(20);
    private static readonly ReconnectBackoff RetryBackoff = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
    /// <summary>Owner keys taken one at a time in parallel (when a batch found one still held), and
    /// an eighth of it in batches of <see cref="ICoordinator.MaxKeysPerCreate"/>.</summary>
    private const int TakeParallelism = 32;

    private readonly ICoordinator _coordinator;
    private readonly WorkerRegistration _registration;
    private readonly WorkerNode _worker;
    private readonly ILogger _logger;
    /// <summary>Per owned session: the fencing token, the generation it runs, and the create
    /// revision of the declaration it runs for (a session deleted and declared again between two
    /// passes looks the same otherwise).</summary>
    private readonly Dictionary<SessionKey, (long Token, long Generation, long Declared)> _owned = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private OwnershipAgent(ICoordinator coordinator, WorkerRegistration registration, WorkerNode worker, ILogger logger)
    {
        _coordinator = coordinator;
        _registration = registration;
        _worker = worker;
        _logger = logger;
        _running = Task.Run(RunAsync);
    }

    public static OwnershipAgent Start(ICoordinator coordinator, WorkerRegistration registration, WorkerNode worker, ILogger logger) =>
        new(coordinator, registration, worker, logger);

    private async Task RunAsync()
    {
        using var running = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, _registration.Lost);
        var changes = new ChangeSignal();
        var watches = changes.FollowAsync(_coordinator, [ClusterKeys.Placements, ClusterKeys.Sessions, ClusterKeys.Owners], running.Token);
        try
        {
            var failures = 0;
            while (true)
            {
                await changes.WaitAsync(running.Token);
                await Task.Delay(SettleTime, running.Token);
                try
                {
                    await ReconcileAsync(running.Token);
                    failures = 0;
                }
                catch (Exception exception) when (!running.IsCancellationRequested)
                {
                    // A failed pass (etcd briefly away, a worker call refused) is retried, never fatal:
                    // sessions placed here must still be taken.
                    _logger.LogWarning(exception, "{Worker} could not reconcile its sessions; retrying", _worker.Name);
                    await Task.Delay(RetryBackoff.Delay(failures++), running.Token);
                    changes.Raise();
                }
            }
        }
        catch (Exception) when (running.IsCancellationRequested)
        {
            if (_registration.Lost.IsCancellationRequested && !_stop.IsCancellationRequested)
            {
                _logger.LogError("{Worker} lost its lease: stopping all {Count} sessions without reconnecting", _worker.Name, _owned.Count);
            }
        }
        finally
        {
            await StopAllAsync();
            try
            {
                await watches;
            }
            catch (Exception) when (running.IsCancellationRequested)
            {
                // The watches end with the agent, cancelled or cut off with the transport's error.
            }
        }
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var placedHere = (await _coordinator.GetPrefixAsync(ClusterKeys.Placements, cancellationToken)).Items
            .Where(item => Encoding.UTF8.GetString(item.Value) == _worker.Name)
            .Select(item => SessionKey.Parse(ClusterKeys.SessionOf(ClusterKeys.Placements, item.Key)))
            .ToHashSet();
        var desired = (await _coordinator.GetPrefixAsync(ClusterKeys.Sessions, cancellationToken)).Items
            .ToDictionary(item => SessionKey.Parse(ClusterKeys.SessionOf(ClusterKeys.Sessions, item.Key)),
                item => (Session: DesiredSession.FromBytes(item.Value), Declared: item.CreateRevision));

        foreach (var (session, owned) in _owned.ToList())
        {
            if (!desired.TryGetValue(session, out var declared) || declared.Declared != owned.Declared)
            {
                // Deleted, or deleted and created again: this ownership ends with the old session,
                // and a new one (taken below, under a new token) runs the new.
                await ReleaseAsync(session, owned.Token, deleted: true, cancellationToken);
            }
            else if (!placedHere.Contains(session))
            {
                await ReleaseAsync(session, owned.Token, deleted: false, cancellationToken);
            }
            else if (declared.Session.Generation > owned.Generation)
            {
                // Restarted by a user: stop it and start it afresh under the same ownership.
                await _worker.StopSessionAsync(session, cancellationToken);
                await _worker.StartSessionAsync(session, (Engine)declared.Session.Engine, owned.Token, cancellationToken);
                _owned[session] = owned with { Generation = declared.Session.Generation };
            }
        }
        var toTake = placedHere.Where(s => !_owned.ContainsKey(s) && desired.ContainsKey(s)).ToList();
        // Owner keys a batch at a time, one etcd transaction each (a takeover's keys are free once
        // the dead worker's lease ran out); a batch with a key still held is taken key by key.
        var refused = new List<SessionKey>();
        await Parallel.ForEachAsync(toTake.Chunk(ICoordinator.MaxKeysPerCreate),
            new ParallelOptions { MaxDegreeOfParallelism = TakeParallelism / 8, CancellationToken = cancellationToken },
            async (batch, taking) =>
            {
                if (!await TryTakeAllAsync(batch, desired, taking))
                {
                    lock (refused)
                    {
                        refused.AddRange(batch);
                    }
                }
            });
        await Parallel.ForEachAsync(refused, new ParallelOptions { MaxDegreeOfParallelism = TakeParallelism, CancellationToken = cancellationToken },
            (session, taking) => new ValueTask(TryTakeAsync(session, desired[session].Session, desired[session].Declared, taking)));
    }

    /// <summary>Takes every owner key of <paramref name="batch"/> in one step and starts the
    /// sessions; false when any key is still held (then none was taken).</summary>
    private async Task<bool> TryTakeAllAsync(
        IReadOnlyList<SessionKey> batch, Dictionary<SessionKey, (DesiredSession Session, long Declared)> desired, CancellationToken cancellationToken)
    {
        var name = Encoding.UTF8.GetBytes(_worker.Name);
        if (await _coordinator.TryCreateAllAsync([.. batch.Select(s => new KeyWrite(ClusterKeys.Owner(s), name, _registration.Lease.Id))], cancellationToken)
            is not { } fencingToken)
        {
            return false;
        }
        foreach (var session in batch)
        {
            await StartTakenAsync(session, desired[session].Session, desired[session].Declared, fencingToken, cancellationToken);
        }
        return true;
    }

    /// <summary>Takes the owner key and starts the session; leaves it for a later pass while the
    /// previous owner still holds the key (it is stopping, or its lease has yet to expire).</summary>
    private async Task TryTakeAsync(SessionKey session, DesiredSession desired, long declared, CancellationToken cancellationToken)
    {
        var token = await _coordinator.TryCreateAsync(ClusterKeys.Owner(session), Encoding.UTF8.GetBytes(_worker.Name), _registration.Lease.Id, cancellationToken);
        if (token is { } fencingToken)
        {
            await StartTakenAsync(session, desired, declared, fencingToken, cancellationToken);
        }
    }

    private async Task StartTakenAsync(SessionKey session, DesiredSession desired, long declared, long fencingToken, CancellationToken cancellationToken)
    {
        lock (_owned)
        {
            _owned[session] = (fencingToken, desired.Generation, declared);
        }
        await _worker.StartSessionAsync(session, (Engine)desired.Engine, fencingToken, cancellationToken);
        _logger.LogInformation("{Session} taken by {Worker} under token {Token}", session, _worker.Name, fencingToken);
    }

    /// <param name="deleted">The session should run nowhere any more: its state is wiped under our
    /// token (whichever worker the gateway asked, the owner wipes), and its status goes with the
    /// ownership, in the same fenced commit, so no late status of ours outlives it.</param>
    private async Task ReleaseAsync(SessionKey session, long token, bool deleted, CancellationToken cancellationToken)
    {
        if (deleted)
        {
            await _worker.DeleteSessionAsync(session, cancellationToken);
        }
        else
        {
            await _worker.StopSessionAsync(session, cancellationToken);
        }
        _owned.Remove(session);
        // Only our own key: if it is no longer ours, there is nothing to release.
        List<KeyWrite> writes = [KeyWrite.Delete(ClusterKeys.Owner(session))];
        if (deleted)
        {
            writes.Add(KeyWrite.Delete(ClusterKeys.Status(session)));
        }
        await _coordinator.CommitIfOwnerAsync(ClusterKeys.Owner(session), token, writes, cancellationToken);
        _logger.LogInformation("{Session} released by {Worker}", session, _worker.Name);
    }

    private async Task StopAllAsync()
    {
        foreach (var session in _owned.Keys.ToList())
        {
            await _worker.StopSessionAsync(session, CancellationToken.None);
        }
        _owned.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }
}
