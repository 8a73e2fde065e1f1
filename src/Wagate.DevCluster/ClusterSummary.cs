using System.Globalization;
using System.Text;
using Wagate.DevCluster.Processes;

namespace Wagate.DevCluster;

/// <summary>What a person needs from a running cluster: where to call it, how to sign in, where the logs are.</summary>
public static class ClusterSummary
{
    public static string Describe(LocalCluster cluster)
    {
        var options = cluster.Options;
        var first = cluster.Gateways[0];
        var text = new StringBuilder()
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Wagate cluster ready: {cluster.Gateways.Count} gateways, {cluster.Workers.Count} workers and the sandbox network, on 127.0.0.1");
        foreach (var gateway in cluster.Gateways)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {gateway.Name,-11} REST + gRPC-Web http://127.0.0.1:{gateway.HttpPort}   gRPC (h2c) 127.0.0.1:{gateway.GrpcPort}   {Pid(gateway)}");
        }
        foreach (var worker in cluster.Workers)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {worker.Name,-11} {worker.WorkerName} at 127.0.0.1:{worker.Port}, capacity {worker.Capacity}   {Pid(worker)}");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"  {cluster.Sandbox.Name,-11} sandbox network at 127.0.0.1:{cluster.Sandbox.Port}   {Pid(cluster.Sandbox)}")
            .AppendLine(CultureInfo.InvariantCulture, $"  API reference {new Uri(first.RestAddress, "/openapi/v1.json")}")
            .AppendLine(CultureInfo.InvariantCulture, $"  Health        {new Uri(first.RestAddress, "/readyz")}")
            .AppendLine(CultureInfo.InvariantCulture, $"  Admin login   {options.AdminEmail} / {options.AdminPassword}")
            .AppendLine(CultureInfo.InvariantCulture, $"  Etcd          {options.Etcd.GetLeftPart(UriPartial.Authority)} (key prefix \"{options.EtcdPrefix}\"), lease TTL {options.LeaseTtl.TotalSeconds:0.#} s")
            .AppendLine(CultureInfo.InvariantCulture, $"  Logs          {options.LogDirectory}/<name>.log")
            .AppendLine("Ctrl-C or SIGTERM stops everything.");
        return text.ToString();
    }

    private static string Pid(ProductProcess process) => $"(process {process.ProcessId})";
}
