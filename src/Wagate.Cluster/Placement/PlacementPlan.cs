using Wagate.Cluster.Membership;

namespace Wagate.Cluster.Placement;

/// <summary>A change the placement controller makes: put <see cref="Session"/> on
/// <see cref="Worker"/>, or remove its placement when <see cref="Worker"/> is null.</summary>
public sealed record PlacementChange(string Session, string? Worker);

/// <summary>Decides where sessions run, as a pure function of what the controller sees, so it
/// can be reasoned about and tested on its own. A session keeps its worker while that worker is
/// alive and not draining (moves cost a reconnect); everything else goes to the least loaded
/// eligible worker with room, ties broken by name so every controller decides alike. An
/// operator's move request (MigrateSession) wins over staying put when its target can take it.</summary>
public static class PlacementPlan
{
    /// <param name="workers">The live workers.</param>
    /// <param name="sessions">Every session that should run.</param>
    /// <param name="placements">Where sessions are placed now (session to worker name).</param>
    /// <param name="moves">Requested moves (session to worker name); one whose target is gone,
    /// draining or full is ignored.</param>
    /// <returns>The changes, and the sessions no worker has room for.</returns>
    public static (IReadOnlyList<PlacementChange> Changes, IReadOnlyList<string> Unplaced) Compute(
        IReadOnlyList<WorkerRecord> workers,
        IReadOnlyCollection<string> sessions,
        IReadOnlyDictionary<string, string> placements,
        IReadOnlyDictionary<string, string>? moves = null)
    {
        var live = workers.ToDictionary(w => w.Name, StringComparer.Ordinal);
        var load = workers.ToDictionary(w => w.Name, _ => 0, StringComparer.Ordinal);
        var changes = new List<PlacementChange>();
        var homeless = new List<string>();

        foreach (var (session, worker) in placements.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!sessions.Contains(session))
            {
                changes.Add(new PlacementChange(session, null));
            }
            else if (live.TryGetValue(worker, out var record) && !record.Draining)
            {
                load[worker]++;
            }
        }
        var moved = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (session, target) in (moves ?? new Dictionary<string, string>()).OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            var current = placements.GetValueOrDefault(session);
            if (!sessions.Contains(session) || current == target
                || !live.TryGetValue(target, out var destination) || destination.Draining || load[target] >= destination.Capacity)
            {
                continue;
            }
            if (current is not null && live.TryGetValue(current, out var source) && !source.Draining)
            {
                load[current]--;
            }
            load[target]++;
            moved.Add(session);
            changes.Add(new PlacementChange(session, target));
        }
        foreach (var session in sessions.Order(StringComparer.Ordinal))
        {
            if (moved.Contains(session)
                || (placements.TryGetValue(session, out var worker) && live.TryGetValue(worker, out var record) && !record.Draining))
            {
                continue;
            }
            var target = workers
                .Where(w => !w.Draining && load[w.Name] < w.Capacity)
                .OrderBy(w => load[w.Name])
                .ThenBy(w => w.Name, StringComparer.Ordinal)
                .FirstOrDefault();
            if (target is null)
            {
                homeless.Add(session);
                continue;
            }
            load[target.Name]++;
            changes.Add(new PlacementChange(session, target.Name));
        }
        return (changes, homeless);
    }
}
