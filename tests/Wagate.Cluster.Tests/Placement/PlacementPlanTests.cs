using Wagate.Cluster.Membership;
using Wagate.Cluster.Placement;
using Xunit;

namespace Wagate.Cluster.Tests.Placement;

public sealed class PlacementPlanTests
{
    [Fact]
    public void New_sessions_spread_over_the_least_loaded_workers()
    {
        var (changes, unplaced) = PlacementPlan.Compute(
            [Worker("workers/a"), Worker("workers/b"), Worker("workers/c")],
            Sessions("s1", "s2", "s3", "s4"),
            Placed(("s1", "workers/a")));

        Assert.Empty(unplaced);
        Assert.Equal(
            [new PlacementChange("s2", "workers/b"), new PlacementChange("s3", "workers/c"), new PlacementChange("s4", "workers/a")],
            changes);
    }

    [Fact]
    public void A_placed_session_stays_on_its_live_worker_even_when_others_are_emptier()
    {
        var (changes, _) = PlacementPlan.Compute(
            [Worker("workers/a"), Worker("workers/b")],
            Sessions("s1", "s2", "s3"),
            Placed(("s1", "workers/a"), ("s2", "workers/a"), ("s3", "workers/a")));

        Assert.Empty(changes);
    }

    [Fact]
    public void The_sessions_of_a_dead_worker_go_to_the_survivors_evenly()
    {
        var (changes, _) = PlacementPlan.Compute(
            [Worker("workers/b"), Worker("workers/c")],
            Sessions("s1", "s2", "s3", "s4"),
            Placed(("s1", "workers/a"), ("s2", "workers/a"), ("s3", "workers/b"), ("s4", "workers/c")));

        Assert.Equal([new PlacementChange("s1", "workers/b"), new PlacementChange("s2", "workers/c")], changes);
    }

    [Fact]
    public void A_draining_worker_gets_nothing_and_loses_what_it_has()
    {
        var (changes, _) = PlacementPlan.Compute(
            [Worker("workers/a", draining: true), Worker("workers/b")],
            Sessions("s1", "s2"),
            Placed(("s1", "workers/a")));

        Assert.Equal([new PlacementChange("s1", "workers/b"), new PlacementChange("s2", "workers/b")], changes);
    }

    [Fact]
    public void Capacity_is_respected_and_the_rest_waits_unplaced()
    {
        var (changes, unplaced) = PlacementPlan.Compute(
            [Worker("workers/a", capacity: 1), Worker("workers/b", capacity: 1)],
            Sessions("s1", "s2", "s3"),
            Placed());

        Assert.Equal(2, changes.Count);
        Assert.Equal(["s3"], unplaced);
    }

    [Fact]
    public void A_placement_of_a_deleted_session_is_removed()
    {
        var (changes, _) = PlacementPlan.Compute([Worker("workers/a")], Sessions(), Placed(("gone", "workers/a")));

        Assert.Equal([new PlacementChange("gone", null)], changes);
    }

    [Fact]
    public void A_requested_move_goes_to_its_target_and_frees_room_on_the_source()
    {
        var (changes, _) = PlacementPlan.Compute(
            [Worker("workers/a", capacity: 1), Worker("workers/b")],
            Sessions("s1", "s2"),
            Placed(("s1", "workers/a")),
            Moves(("s1", "workers/b")));

        // s2 can take the room s1 left on a.
        Assert.Equal([new PlacementChange("s1", "workers/b"), new PlacementChange("s2", "workers/a")], changes);
    }

    [Fact]
    public void A_move_to_a_full_draining_or_unknown_worker_or_of_an_unknown_session_is_ignored()
    {
        var (changes, _) = PlacementPlan.Compute(
            [Worker("workers/a"), Worker("workers/full", capacity: 1), Worker("workers/leaving", draining: true)],
            Sessions("s1", "s2", "s3"),
            Placed(("s1", "workers/a"), ("s2", "workers/full"), ("s3", "workers/a")),
            Moves(("s1", "workers/full"), ("s3", "workers/leaving"), ("gone", "workers/a"), ("s2", "workers/nowhere")));

        Assert.Empty(changes);
    }

    private static WorkerRecord Worker(string name, int capacity = 100, bool draining = false) =>
        new(name, "127.0.0.1:1", capacity, 0, 1, draining, DateTimeOffset.UnixEpoch);

    private static HashSet<string> Sessions(params string[] names) => new(names, StringComparer.Ordinal);

    private static Dictionary<string, string> Placed(params (string Session, string Worker)[] placements) =>
        placements.ToDictionary(p => p.Session, p => p.Worker, StringComparer.Ordinal);

    private static Dictionary<string, string> Moves(params (string Session, string Worker)[] moves) =>
        moves.ToDictionary(m => m.Session, m => m.Worker, StringComparer.Ordinal);
}
