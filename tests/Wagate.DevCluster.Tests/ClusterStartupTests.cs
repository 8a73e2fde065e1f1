using System.Net;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Wagate.Cluster;
using Wagate.Cluster.Membership;
using Wagate.Testing;
using Xunit;

namespace Wagate.DevCluster.Tests;

/// <summary>A cluster started as separate processes is whole: every gateway serves, every worker
/// has joined the cluster in etcd.</summary>
public sealed class ClusterStartupTests
{
    [Fact]
    public async Task Both_gateways_become_ready_and_every_worker_registers_in_etcd()
    {
        using var directory = new TempDirectory();

        await using var cluster = await TestClusters.StartAsync(directory.Path, workers: 3);

        Assert.Equal(2, cluster.Gateways.Count);
        using var http = new HttpClient();
        foreach (var gateway in cluster.Gateways)
        {
            using var ready = await http.GetAsync(new Uri(gateway.RestAddress, "/readyz"));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            using var channel = GrpcChannel.ForAddress(gateway.GrpcAddress);
            var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        }
        using var etcd = new EtcdCoordinator(new EtcdCoordinatorOptions { Endpoint = cluster.Options.Etcd, KeyPrefix = cluster.Options.EtcdPrefix });
        await using var workers = await WorkerDirectory.StartAsync(etcd);
        Assert.Equal(
            ["workers/worker-1", "workers/worker-2", "workers/worker-3"],
            workers.Workers.Select(w => w.Name));
        foreach (var worker in cluster.Workers)
        {
            var registered = workers.Find(worker.WorkerName);
            Assert.NotNull(registered);
            Assert.Equal(worker.ProcessId, registered.ProcessId);
            Assert.Equal($"http://127.0.0.1:{worker.Port}", registered.Address);
        }
    }
}
