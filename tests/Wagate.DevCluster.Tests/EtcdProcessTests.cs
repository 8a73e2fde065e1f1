using System.Text;
using Grpc.Core;
using Wagate.Cluster;
using Wagate.DevCluster.Processes;
using Wagate.Testing;
using Xunit;

namespace Wagate.DevCluster.Tests;

/// <summary>An etcd the test owns, for taking the coordinator down: restarted, it comes back on the
/// same port with what it had stored, and its clients reconnect.</summary>
public sealed class EtcdProcessTests
{
    [Fact]
    public async Task An_etcd_killed_and_started_again_serves_what_it_stored_on_the_same_port()
    {
        using var directory = new TempDirectory();
        await using var etcd = await EtcdProcess.StartAsync(directory.Path);
        using var client = new EtcdCoordinator(new EtcdCoordinatorOptions { Endpoint = etcd.ClientUrl });
        await client.PutAsync("/kept", Encoding.UTF8.GetBytes("before the crash"));
        var (port, crashed) = (etcd.ClientPort, etcd.ProcessId);

        etcd.Kill();
        await etcd.StartAsync();

        Assert.Equal(port, etcd.ClientPort);
        Assert.NotEqual(crashed, etcd.ProcessId);
        var kept = await Poll.UntilAsync(async () =>
        {
            try
            {
                return await client.GetAsync("/kept");
            }
            catch (RpcException)
            {
                return null; // the client is still reconnecting
            }
        });
        Assert.Equal("before the crash", Encoding.UTF8.GetString(kept.Value));
    }
}
