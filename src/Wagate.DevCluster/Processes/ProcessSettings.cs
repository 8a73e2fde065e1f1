using System.Globalization;

namespace Wagate.DevCluster.Processes;

/// <summary>The WAGATE_* settings every process of a cluster starts from: the caller's extras,
/// then what the launcher insists on (loopback only, the cluster's etcd namespace and lease TTL,
/// time-stamped log lines).</summary>
internal static class ProcessSettings
{
    public static Dictionary<string, string> Common(LocalClusterOptions cluster) => new(cluster.Environment)
    {
        ["WAGATE_BIND_ADDRESS"] = "127.0.0.1",
        ["WAGATE_ETCD"] = cluster.Etcd.ToString(),
        ["WAGATE_ETCD_PREFIX"] = cluster.EtcdPrefix,
        ["WAGATE_LEASE_TTL_SECONDS"] = cluster.LeaseTtl.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        // The workers and the sandbox log through the default console logger: stamp its lines, so
        // the logs of different processes can be read side by side in time.
        ["Logging__Console__FormatterName"] = "simple",
        ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
        ["Logging__Console__FormatterOptions__SingleLine"] = "true",
    };
}
