using System.Globalization;

namespace Wagate.DevCluster.Processes;

/// <summary>The WAGATE_* settings every process of a cluster starts from: the caller's extras,
/// then what the launcher insists on (loopback only, the cluster's etcd namespace and lease TTL).
/// Every host stamps its log lines to the millisecond, so the logs of different processes can be
/// read side by side in time.</summary>
internal static class ProcessSettings
{
    public static Dictionary<string, string> Common(LocalClusterOptions cluster) => new(cluster.Environment)
    {
        ["WAGATE_BIND_ADDRESS"] = "127.0.0.1",
        ["WAGATE_ETCD"] = cluster.Etcd.ToString(),
        ["WAGATE_ETCD_PREFIX"] = cluster.EtcdPrefix,
        ["WAGATE_LEASE_TTL_SECONDS"] = cluster.LeaseTtl.TotalSeconds.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary><see cref="Common"/> and the blob store with the state key: the workers keep
    /// session state there, and the gateways put media sent inline there for the workers.</summary>
    public static Dictionary<string, string> CommonWithBlobs(LocalClusterOptions cluster)
    {
        var settings = Common(cluster);
        settings["WAGATE_STATE_KEY"] = cluster.StateKey;
        settings["WAGATE_BLOB_STORE"] = "s3";
        settings["WAGATE_S3_ENDPOINT"] = cluster.S3.Endpoint;
        settings["WAGATE_S3_BUCKET"] = cluster.S3.Bucket;
        settings["WAGATE_S3_ACCESS_KEY"] = cluster.S3.AccessKey;
        settings["WAGATE_S3_SECRET_KEY"] = cluster.S3.SecretKey;
        return settings;
    }
}
