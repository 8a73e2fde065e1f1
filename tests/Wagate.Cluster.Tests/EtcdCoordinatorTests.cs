using Wagate.Testing;
using Xunit;

namespace Wagate.Cluster.Tests;

/// <summary>The conformance suite on the etcd tools/test starts, a key prefix per test. The coordinator
/// under test reaches etcd through a proxy the test can cut; its peer connects directly.</summary>
public sealed class EtcdCoordinatorTests : CoordinatorConformanceTests
{
    private readonly string _keyPrefix = TestEtcd.NewKeyPrefix();
    private readonly TcpProxy _proxy = new(TestEtcd.Endpoint);
    private readonly EtcdCoordinator _coordinator;
    private readonly EtcdCoordinator _peer;

    public EtcdCoordinatorTests()
    {
        _coordinator = Connect(_proxy.Endpoint, _keyPrefix);
        _peer = Connect(TestEtcd.Endpoint, _keyPrefix);
    }

    protected override ICoordinator Coordinator => _coordinator;

    protected override ICoordinator Peer => _peer;

    protected override IDisposable InterruptWatchStreams() => _proxy.Interrupt();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _coordinator.Dispose();
        _peer.Dispose();
        await _proxy.DisposeAsync();
    }

    [Fact]
    public async Task A_holder_cut_off_from_etcd_for_a_ttl_loses_its_lease_and_etcd_drops_its_keys()
    {
        var lease = await GrantAsync(Coordinator);
        await Coordinator.PutAsync("workers/cut-off", Bytes("w1"), lease.Id);

        using (_proxy.Interrupt())
        {
            await Poll.UntilAsync(() => lease.Lost.IsCancellationRequested);
            await Poll.UntilAsync(async () => await Peer.GetAsync("workers/cut-off") is null);
        }

        Assert.True(lease.Lost.IsCancellationRequested);
        Assert.Null(await Peer.GetAsync("workers/cut-off"));
    }

    [Fact]
    public async Task Coordinators_with_different_key_prefixes_do_not_see_each_others_keys()
    {
        using var other = Connect(TestEtcd.Endpoint, TestEtcd.NewKeyPrefix());
        await Coordinator.PutAsync("workers/w1", Bytes("mine"));

        Assert.Null(await other.GetAsync("workers/w1"));
        Assert.Empty((await other.GetPrefixAsync("")).Items);
        Assert.Equal(["workers/w1"], (await Peer.GetPrefixAsync("")).Items.Select(item => item.Key));
    }

    private static EtcdCoordinator Connect(Uri endpoint, string keyPrefix) =>
        new(new EtcdCoordinatorOptions { Endpoint = endpoint, KeyPrefix = keyPrefix });
}
