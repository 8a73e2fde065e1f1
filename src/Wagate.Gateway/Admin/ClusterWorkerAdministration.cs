using System.Text;
using Wagate.Cluster;
using Wagate.Cluster.Placement;
using Wagate.Core;
using Wagate.Gateway.Errors;
using Wagate.Gateway.Hosting;
using Wagate.Gateway.Sessions;
using SessionState = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Gateway.Admin;

/// <summary>The workers of a cluster. Operators' orders are keys the elected placement controller
/// acts on: a draining mark (bound to the worker's lease, so a restarted worker takes sessions
/// again) and a move request. The ownership agents then hand each session over: the old owner
/// stops it (its state flushed, the device still linked) and lets go of its owner key, the new
/// one takes the key and starts it. A call returns once the owner keys say the moves are done.</summary>
public sealed class ClusterWorkerAdministration(ICoordinator coordinator, ClusterGateway cluster) : IWorkerAdministration
{
    /// <summary>How long a call waits for its moves; they go on after it stops waiting.</summary>
    private static readonly TimeSpan MoveWait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <remarks>Session counts from the owner keys, current to the call, rather than the load in
    /// the workers' heartbeats, which lags by up to half a lease: right after a move an operator
    /// sees where the sessions are.</remarks>
    public async Task<IReadOnlyList<WorkerInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var draining = await DrainingAsync(cancellationToken);
        var owned = (await OwnersAsync(cancellationToken)).Values.CountBy(worker => worker).ToDictionary(StringComparer.Ordinal);
        return cluster.Directory.Workers
            .Select(w => new WorkerInfo(w.Name, w.Address, w.Draining || draining.Contains(w.Name), owned.GetValueOrDefault(w.Name),
                w.Capacity, w.ProcessId, w.HeartbeatTime))
            .ToList();
    }

    public async Task<IReadOnlyList<SessionKey>> DrainAsync(string workerName, CancellationToken cancellationToken)
    {
        var worker = cluster.Directory.Find(workerName) ?? throw ApiErrors.NotFound(workerName);
        try
        {
            await coordinator.PutAsync(ClusterKeys.DrainingOf(workerName), Encoding.UTF8.GetBytes(DateTimeOffset.UtcNow.ToString("O")),
                worker.LeaseId, cancellationToken);
        }
        catch (LeaseNotFoundException)
        {
            throw ApiErrors.NotFound(workerName); // it died between the lookup and the mark
        }
        var leaving = (await OwnersAsync(cancellationToken))
            .Where(owner => owner.Value == workerName).Select(owner => owner.Key)
            .Union(PlacedOn(workerName))
            .Order()
            .ToList();
        await WaitForAsync(async () =>
        {
            var owners = await OwnersAsync(cancellationToken);
            var stillPlaced = PlacedOn(workerName);
            // Moved once another worker owns it and has said so in its status, as for a migration:
            // what GetSession shows then is the new worker, not the drained one's last word.
            var remaining = leaving.Count(session =>
                !owners.TryGetValue(session, out var owner) || owner == workerName || stillPlaced.Contains(session)
                || cluster.Statuses.Find(ClusterKeys.Status(SessionKey.Parse(session)))?.Worker == workerName);
            return remaining == 0 ? null : $"{remaining} of the {leaving.Count} sessions of {workerName} are still moving";
        }, cancellationToken);
        return leaving.Select(SessionKey.Parse).ToList();
    }

    public async Task MigrateAsync(SessionKey session, string targetWorker, CancellationToken cancellationToken)
    {
        if (await coordinator.GetAsync(ClusterKeys.Of(ClusterKeys.Sessions, session.Name), cancellationToken) is null)
        {
            throw ApiErrors.NotFound(session.Name);
        }
        var target = cluster.Directory.Find(targetWorker) ?? throw ApiErrors.NotFound(targetWorker);
        var owners = await OwnersAsync(cancellationToken);
        if (owners.GetValueOrDefault(session.Name) == targetWorker)
        {
            return;
        }
        if (target.Draining || (await DrainingAsync(cancellationToken)).Contains(targetWorker) || PlacedOn(targetWorker).Count >= target.Capacity)
        {
            throw ApiErrors.FailedPrecondition(ErrorReason.NoWorker, $"{targetWorker} is draining or full; choose another worker.");
        }
        await coordinator.PutAsync(ClusterKeys.Of(ClusterKeys.Moves, session.Name), Encoding.UTF8.GetBytes(targetWorker), cancellationToken: cancellationToken);
        // Done once the target owns the session and has said so in its status: what GetSession
        // shows then is the new worker, not the old one's last word.
        await WaitForAsync(async () => (await OwnersAsync(cancellationToken)).GetValueOrDefault(session.Name) == targetWorker
            && cluster.Statuses.Find(ClusterKeys.Status(session))?.Worker == targetWorker
            ? null
            : $"{session.Name} is still moving to {targetWorker}", cancellationToken);
    }

    /// <summary>From the statuses the owners publish, counting only owners still in the cluster.</summary>
    public Task<int> CountConnectedSessionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(cluster.Statuses.Items.Values.Count(s => s.State == (int)SessionState.Connected && cluster.Directory.Find(s.Worker) is not null));

    private HashSet<string> PlacedOn(string workerName) => cluster.Placements.Items
        .Where(p => p.Value == workerName)
        .Select(p => ClusterKeys.SessionOf(ClusterKeys.Placements, p.Key))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>Session name to the worker holding its owner key.</summary>
    private async Task<Dictionary<string, string>> OwnersAsync(CancellationToken cancellationToken) =>
        (await coordinator.GetPrefixAsync(ClusterKeys.Owners, cancellationToken)).Items.ToDictionary(
            item => ClusterKeys.SessionOf(ClusterKeys.Owners, item.Key), item => Encoding.UTF8.GetString(item.Value), StringComparer.Ordinal);

    private async Task<HashSet<string>> DrainingAsync(CancellationToken cancellationToken) =>
        (await coordinator.GetPrefixAsync(ClusterKeys.Draining, cancellationToken)).Items
            .Select(item => ClusterKeys.WorkerOfDraining(item.Key))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Polls until <paramref name="pending"/> says nothing is left, for at most <see cref="MoveWait"/>.</summary>
    /// <param name="pending">What is still to happen, or null when done.</param>
    /// <param name="cancellationToken">The caller's.</param>
    private static async Task WaitForAsync(Func<Task<string?>> pending, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(MoveWait);
        string? left;
        while ((left = await pending()) is not null)
        {
            try
            {
                await Task.Delay(PollInterval, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw ApiErrors.Unavailable(ErrorReason.MovePending, $"{left}; the move goes on, call again to wait for it.", TimeSpan.FromSeconds(5));
            }
        }
    }
}
