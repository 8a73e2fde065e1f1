using System.Text;
using Microsoft.Extensions.Logging;
using Wagate.Cluster.Election;
using Wagate.Cluster.Membership;
using Wagate.Cluster.Watching;
using Wagate.Core;

namespace Wagate.Cluster.Placement;

/// <summary>Keeps every session placed on a live worker. Each gateway runs one; the one elected
/// leads, the others wait to take over. The leader re-reads sessions, placements and workers
/// whenever a watch says something changed, computes a <see cref="PlacementPlan"/>, and writes
/// it guarded by its term's fencing token, so a deposed leader's writes never land.</summary>
public sealed class PlacementController : IAsyncDisposable
{
    /// <summary>Under <see cref="ICoordinator.MaxOperationsPerTransaction"/>, with room for the term's comparison.</summary>
    private const int WritesPerCommit = 100;
    private const int ParallelCommits = 8;
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(50);

    private readonly ICoordinator _coordinator;
    private readonly LeaderElection _election;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private volatile LeaderTerm? _term;
    private int _disposed;

    private PlacementController(ICoordinator coordinator, string candidate, TimeSpan leaseTtl, ILogger logger)
    {
        _coordinator = coordinator;
        _election = new LeaderElection(coordinator, ClusterKeys.Controller, candidate, leaseTtl);
        _logger = logger;
        _running = Task.Run(RunAsync);
    }

    /// <summary>True while this controller leads.</summary>
    public bool IsLeader => _term is { Lost.IsCancellationRequested: false };

    public static PlacementController Start(ICoordinator coordinator, string candidate, TimeSpan leaseTtl, ILogger logger) =>
        new(coordinator, candidate, leaseTtl, logger);

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var term = await _election.CampaignAsync(_stop.Token);
                _term = term;
                _logger.LogInformation("Leading placement (term {Token})", term.FencingToken);
                using var leading = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, term.Lost);
                await LeadAsync(term, leading.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return; // disposed: whatever the cut-off calls threw
            }
            catch (OperationCanceledException)
            {
                _logger.LogWarning("Placement leadership lost; campaigning again");
            }
            catch (Exception exception)
            {
                // A failing store must not end the loop: back off, then campaign again.
                _logger.LogError(exception, "Placement controller failed; campaigning again");
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
            finally
            {
                _term = null;
            }
        }
    }

    private async Task LeadAsync(LeaderTerm term, CancellationToken leading)
    {
        await using var workers = await WorkerDirectory.StartAsync(_coordinator, leading);
        var changes = new ChangeSignal();
        // Heartbeats rewrite every worker's record a few times a lease; only what placement reads
        // (who is there, with what room, draining or not) calls for a pass.
        var seen = PlacementInputs(workers);
        void OnWorkersChanged()
        {
            var now = PlacementInputs(workers);
            if (Interlocked.Exchange(ref seen, now) != now)
            {
                changes.Raise();
            }
        }
        workers.Changed += OnWorkersChanged;
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(leading);
        var watches = changes.FollowAsync(_coordinator, [ClusterKeys.Sessions, ClusterKeys.Placements, ClusterKeys.Draining, ClusterKeys.Moves], watching.Token);
        try
        {
            while (true)
            {
                await changes.WaitAsync(leading);
                await Task.Delay(SettleTime, leading); // let a burst of changes arrive together
                if (!await ReconcileAsync(term, workers, leading))
                {
                    throw new OperationCanceledException("The placement term ended: another controller leads.");
                }
            }
        }
        finally
        {
            workers.Changed -= OnWorkersChanged;
            await watching.CancelAsync();
            try
            {
                await watches;
            }
            catch (Exception) when (watching.IsCancellationRequested)
            {
                // The watches end with the term, cancelled or cut off with the transport's error.
            }
        }
    }

    private static string PlacementInputs(WorkerDirectory workers) =>
        string.Join('|', workers.Workers.Select(w => $"{w.Name},{w.Capacity},{w.Draining}"));

    /// <summary>One pass: read, plan, write. False when the writes were refused (deposed).</summary>
    private async Task<bool> ReconcileAsync(LeaderTerm term, WorkerDirectory workers, CancellationToken leading)
    {
        var sessions = (await _coordinator.GetPrefixAsync(ClusterKeys.Sessions, leading)).Items
            .Select(item => ClusterKeys.SessionOf(ClusterKeys.Sessions, item.Key))
            .ToHashSet(StringComparer.Ordinal);
        var placements = (await _coordinator.GetPrefixAsync(ClusterKeys.Placements, leading)).Items
            .ToDictionary(item => ClusterKeys.SessionOf(ClusterKeys.Placements, item.Key), item => Encoding.UTF8.GetString(item.Value), StringComparer.Ordinal);
        var draining = (await _coordinator.GetPrefixAsync(ClusterKeys.Draining, leading)).Items
            .Select(item => ClusterKeys.WorkerOfDraining(item.Key))
            .ToHashSet(StringComparer.Ordinal);
        var moveRequests = (await _coordinator.GetPrefixAsync(ClusterKeys.Moves, leading)).Items;
        var moves = moveRequests.ToDictionary(item => ClusterKeys.SessionOf(ClusterKeys.Moves, item.Key), item => Encoding.UTF8.GetString(item.Value), StringComparer.Ordinal);
        var live = workers.Workers.Select(w => draining.Contains(w.Name) ? w with { Draining = true } : w).ToList();

        var (changes, unplaced) = PlacementPlan.Compute(live, sessions, placements, moves);
        if (unplaced.Count > 0)
        {
            _logger.LogWarning("{Count} sessions wait for a worker with room", unplaced.Count);
        }
        // Move requests are consumed with the placements they lead to: honoured or refused, once.
        var writes = changes
            .Select(change => new KeyWrite(
                ClusterKeys.Of(ClusterKeys.Placements, change.Session),
                change.Worker is null ? null : Encoding.UTF8.GetBytes(change.Worker)))
            .Concat(moveRequests.Select(item => KeyWrite.Delete(item.Key)));
        // Side by side: each commit is fenced by the term on its own and writes its keys once, so
        // their order does not matter, and a dead worker's thousand placements land in one round
        // trip's time instead of ten (the workers start taking as each lands).
        var deposed = false;
        await Parallel.ForEachAsync(writes.Chunk(WritesPerCommit), new ParallelOptions { MaxDegreeOfParallelism = ParallelCommits, CancellationToken = leading },
            async (batch, committing) =>
            {
                if (!await _coordinator.CommitIfOwnerAsync(term.ElectionKey, term.FencingToken, batch, committing))
                {
                    Volatile.Write(ref deposed, true);
                }
            });
        return !deposed;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }
}
