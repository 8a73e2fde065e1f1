using System.Text;
using Wagate.Cluster.Election;
using Wagate.Testing;
using Xunit;

namespace Wagate.Cluster.Tests.Election;

/// <summary>One leader at a time, a successor when it resigns or dies, and a deposed leader whose
/// guarded writes no longer count.</summary>
public abstract class LeaderElectionTests : IAsyncLifetime
{
    private const string Key = "/wagate/controller";
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(2);
    private readonly List<LeaderTerm> _terms = [];

    /// <summary>Candidate <paramref name="index"/>'s connection to the store (a process of its own on etcd).</summary>
    protected abstract ICoordinator CandidateStore(int index);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var term in _terms)
        {
            await term.DisposeAsync();
        }
    }

    [Fact]
    public async Task Of_many_candidates_one_leads_and_the_next_takes_over_when_it_resigns()
    {
        using var endCampaigns = new CancellationTokenSource();
        var campaigns = Enumerable.Range(0, 4)
            .Select(i => new LeaderElection(CandidateStore(i), Key, $"gateway-{i}", LeaseTtl).CampaignAsync(endCampaigns.Token))
            .ToList();

        var first = await Task.WhenAny(campaigns);
        var leader = await first;
        Assert.Equal(1, campaigns.Count(c => c.IsCompletedSuccessfully));

        await leader.DisposeAsync();
        var second = await Task.WhenAny(campaigns.Where(c => c != first));
        _terms.Add(await second);

        Assert.Equal(2, campaigns.Count(c => c.IsCompletedSuccessfully));
        Assert.True((await second).FencingToken > leader.FencingToken);
        await endCampaigns.CancelAsync();
        foreach (var waiting in campaigns.Where(c => c != first && c != second))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }
    }

    [Fact]
    public async Task A_leader_that_stops_renewing_is_replaced_and_its_guarded_writes_fail()
    {
        var old = await new LeaderElection(CandidateStore(0), Key, "gateway-0", LeaseTtl).CampaignAsync();
        _terms.Add(old);
        var successorCampaign = new LeaderElection(CandidateStore(1), Key, "gateway-1", LeaseTtl).CampaignAsync();
        Assert.False(successorCampaign.IsCompleted);

        old.StopKeepAlive(); // frozen, as a paused process is
        var successor = await successorCampaign.WaitAsync(TimeSpan.FromSeconds(30));
        _terms.Add(successor);

        await Poll.UntilAsync(() => old.Lost.IsCancellationRequested);
        Assert.True(old.Lost.IsCancellationRequested);
        Assert.Equal("gateway-1", await new LeaderElection(CandidateStore(0), Key, "gateway-0", LeaseTtl).LeaderAsync());
        var stale = await CandidateStore(0).CommitIfOwnerAsync(Key, old.FencingToken, [new KeyWrite("/wagate/placement/x", Bytes("w1"))]);
        var current = await CandidateStore(1).CommitIfOwnerAsync(Key, successor.FencingToken, [new KeyWrite("/wagate/placement/x", Bytes("w2"))]);
        Assert.False(stale);
        Assert.True(current);
        Assert.Equal("w2", Encoding.UTF8.GetString((await CandidateStore(1).GetAsync("/wagate/placement/x"))!.Value));
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}

public sealed class InMemoryLeaderElectionTests : LeaderElectionTests
{
    private readonly InMemoryCoordinator _store = new();

    protected override ICoordinator CandidateStore(int index) => _store;
}

public sealed class EtcdLeaderElectionTests : LeaderElectionTests
{
    private readonly string _prefix = TestEtcd.NewKeyPrefix();
    private readonly Dictionary<int, EtcdCoordinator> _stores = [];

    protected override ICoordinator CandidateStore(int index)
    {
        if (!_stores.TryGetValue(index, out var store))
        {
            store = new EtcdCoordinator(new EtcdCoordinatorOptions { Endpoint = TestEtcd.Endpoint, KeyPrefix = _prefix });
            _stores[index] = store;
        }
        return store;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var store in _stores.Values)
        {
            store.Dispose();
        }
    }
}
