using System.Runtime.InteropServices;
using Wagate.DevCluster;
using Wagate.DevCluster.Processes;

// The cluster on one machine (tools/dev-cluster up runs this, after starting PostgreSQL, etcd and
// an S3 server): starts the sandbox network, the workers and two gateways as processes of their
// own, prints where they are, and stops them all on Ctrl-C or SIGTERM. Settings: DevClusterSettings.
using var stopping = new CancellationTokenSource();
void Stop(PosixSignalContext signal)
{
    signal.Cancel = true; // ours to handle: stop the cluster first, then exit
    stopping.Cancel();
}
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var options = DevClusterSettings.From(args, out var generated);
foreach (var secret in generated)
{
    Console.WriteLine($"{secret} is not set: generated for this run only (tools/dev-cluster keeps its own).");
}
Console.WriteLine($"Starting the cluster (logs in {options.LogDirectory})...");
LocalCluster cluster;
try
{
    cluster = await LocalCluster.StartAsync(options, ProductBuild.Of(typeof(LocalCluster).Assembly),
        step => Console.WriteLine("  " + step), stopping.Token);
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    Console.WriteLine("Stopped before the cluster was ready.");
    return 0;
}
catch (ProcessStartException failed)
{
    Console.Error.WriteLine($"The cluster did not start: {failed.Message}");
    return 1;
}

await using (cluster)
{
    Console.Write(ClusterSummary.Describe(cluster));
    foreach (var process in cluster.Processes)
    {
        _ = ReportExitAsync(process);
    }
    try
    {
        await Task.Delay(Timeout.Infinite, stopping.Token);
    }
    catch (OperationCanceledException)
    {
        Console.WriteLine("Stopping the cluster...");
    }
}
Console.WriteLine("Cluster stopped.");
return 0;

// A process that ends while the cluster runs (a worker that lost its lease stops itself, or one
// killed to watch a failover) is worth a line: the cluster keeps running without it.
async Task ReportExitAsync(ProductProcess process)
{
    try
    {
        await process.WaitForExitAsync(stopping.Token);
        Console.WriteLine($"{process.Name} exited while the cluster runs (code {process.ExitCode}); see {process.LogPath}");
    }
    catch (OperationCanceledException)
    {
        // Stopping: the processes end because we asked them to.
    }
}
