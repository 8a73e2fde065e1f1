using Wagate.DevCluster.Processes;
using Wagate.Testing;

namespace Wagate.DevCluster.Tests;

/// <summary>Clusters on the servers tools/test runs, each with a database, an etcd key prefix and
/// a bucket of its own, so clusters started side by side never meet; hosts built in the
/// configuration these tests were built in.</summary>
public static class TestClusters
{
    /// <summary>Short, so that the cluster notices a dead or frozen worker within a test's patience.</summary>
    public static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(5);

    /// <summary>What a lease may take beyond its TTL to end, on a shared machine: etcd checks for
    /// expired leases every half second, and every process competes for two cores.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(20);

    public static ProductBuild Build { get; } = ProductBuild.Of(typeof(TestClusters).Assembly);

    public static async Task<LocalClusterOptions> OptionsAsync(string directory, int workers) => new()
    {
        Directory = directory,
        Postgres = await TestPostgres.CreateDatabaseAsync(),
        Etcd = TestEtcd.Endpoint,
        EtcdPrefix = TestEtcd.NewKeyPrefix(),
        S3 = new S3Bucket(TestS3.Endpoint, await TestS3.CreateBucketAsync(), TestS3.AccessKey, TestS3.SecretKey),
        Workers = workers,
        LeaseTtl = LeaseTtl,
        // The whole suite runs at once on two cores: a host may take long to start.
        ReadyTimeout = TimeSpan.FromMinutes(2),
    };

    public static async Task<LocalCluster> StartAsync(string directory, int workers) =>
        await LocalCluster.StartAsync(await OptionsAsync(directory, workers), Build);
}
