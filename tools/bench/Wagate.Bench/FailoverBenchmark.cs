using System.Diagnostics;
using Wagate.Contracts.Session.V1;
using Wagate.DevCluster;
using Wagate.DevCluster.Fleet;
using Wagate.DevCluster.Processes;

namespace Wagate.Bench;

/// <summary>Failover on a cluster of real processes (tools/bench/run starts PostgreSQL, etcd and
/// s3rver): N sandbox sessions linked through the public API, all on one worker, two more workers
/// idle; then kill -9 of the busy worker, timed until every session is CONNECTED on the others.
/// Each run is a fresh cluster. The table shows every run and min/median/max, split into the
/// wait for the lease to end (the lease TTL bounds it) and the move that follows.</summary>
internal static class FailoverBenchmark
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public static async Task<int> RunAsync(string[] args)
    {
        var sessions = Table.Option(args, "--sessions", 1000);
        var runs = Table.Option(args, "--runs", 3);
        var leaseTtl = TimeSpan.FromSeconds(Table.Option(args, "--lease-ttl", 5));
        var servers = Servers.FromEnvironment("failover");
        Console.WriteLine($"Failover of {sessions} sandbox sessions on one worker killed with kill -9 (2 idle workers take over); " +
            $"lease TTL {leaseTtl.TotalSeconds:0} s; {runs} runs; {Environment.ProcessorCount} cores.");
        Console.WriteLine();

        var results = new List<Result>();
        for (var run = 1; run <= runs; run++)
        {
            results.Add(await RunOnceAsync(run, sessions, leaseTtl, servers));
        }

        var rows = results.Select((r, i) => Row($"run {i + 1}", r)).ToList();
        rows.Add(Row("min", Pick(Enumerable.Min)));
        rows.Add(Row("median", Pick(Table.Median)));
        rows.Add(Row("max", Pick(Enumerable.Max)));
        Table.Print(["", "sessions moved", "lease TTL (s)", "worker gone (s)", "then all connected (s)", "kill -9 to all connected (s)"], rows);
        return 0;

        Result Pick(Func<IEnumerable<double>, double> statistic) => new(
            (int)statistic(results.Select(r => (double)r.Moved)),
            TimeSpan.FromSeconds(statistic(results.Select(r => r.WorkerGone.TotalSeconds))),
            TimeSpan.FromSeconds(statistic(results.Select(r => r.AllConnected.TotalSeconds))),
            TimeSpan.FromSeconds(statistic(results.Select(r => (r.AllConnected - r.WorkerGone).TotalSeconds))));

        string[] Row(string label, Result r) =>
        [
            label,
            r.Moved.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Table.Number(leaseTtl.TotalSeconds, "0"),
            Table.Number(r.WorkerGone.TotalSeconds, "0.00"),
            Table.Number((r.MoveAfterLease ?? r.AllConnected - r.WorkerGone).TotalSeconds, "0.00"),
            Table.Number(r.AllConnected.TotalSeconds, "0.00"),
        ];
    }

    /// <param name="MoveAfterLease">Set for summary rows, whose parts are not differences of each other.</param>
    private sealed record Result(int Moved, TimeSpan WorkerGone, TimeSpan AllConnected, TimeSpan? MoveAfterLease = null);

    private static async Task<Result> RunOnceAsync(int run, int count, TimeSpan leaseTtl, Servers servers)
    {
        var directory = Directory.CreateTempSubdirectory("wagate-failover-").FullName;
        var options = new LocalClusterOptions
        {
            Directory = directory,
            Postgres = await servers.CreateDatabaseAsync("wagate_failover_"),
            Etcd = servers.Etcd,
            EtcdPrefix = $"/bench-{Guid.NewGuid():N}/",
            S3 = new S3Bucket(servers.S3, "failover-" + Guid.NewGuid().ToString("N")[..12], "S3RVER", "S3RVER"),
            Gateways = 1,
            Workers = 3,
            WorkerCapacity = count,
            LeaseTtl = leaseTtl,
        };
        await using var cluster = await LocalCluster.StartAsync(options, ProductBuild.Of(typeof(FailoverBenchmark).Assembly));
        var (busy, idle) = (cluster.Workers[0], cluster.Workers.Skip(1).ToList());
        // Every session on one worker: the others leave while the sessions are linked, then come back empty.
        foreach (var worker in idle)
        {
            await worker.StopAsync();
        }
        using var fleet = await SandboxFleet.CreateAsync(cluster.Gateways[0].GrpcAddress, options.Postgres, cluster.Sandbox.Address);
        var linking = Stopwatch.StartNew();
        await fleet.LinkAsync(count, TimeSpan.FromMinutes(15));
        Console.WriteLine($"run {run}: {count} sessions linked on {busy.WorkerName} in {linking.Elapsed.TotalSeconds:0} s; killing it");
        foreach (var worker in idle)
        {
            await worker.StartAsync();
        }

        var clock = Stopwatch.StartNew();
        busy.Kill();
        TimeSpan? gone = null;
        while (true)
        {
            gone ??= await busy.FindRegistrationAsync() is null ? clock.Elapsed : null;
            var all = await fleet.ListAsync();
            if (gone is not null && all.All(s => s.State == Session.Types.State.Connected && s.Worker != busy.WorkerName))
            {
                return new Result(count, gone.Value, clock.Elapsed);
            }
            if (clock.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"Run {run}: after 10 minutes {all.Count(s => s.State != Session.Types.State.Connected)} sessions are still not connected.");
            }
            await Task.Delay(PollInterval);
        }
    }
}
