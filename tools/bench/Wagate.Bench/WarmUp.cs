using System.Globalization;
using Wagate.DevCluster;

namespace Wagate.Bench;

/// <summary>Warm-up rounds of a run's size before the measured runs, until the gateway and the
/// worker have tiered their code up, which takes long on a busy machine: after one round of 2,000
/// messages the gateway alone still JIT'd about 10,000 methods during run 1 of the receive
/// benchmark, which spent three times the CPU of the runs after it, mostly Tier1 recompilations;
/// a profile of the send benchmark after a 200-message warm-up found the JIT taking a third of the
/// gateway's and the worker's CPU in the runs. Rounds go on until one JIT's about as many methods as
/// the one before, or few next to all compiled before. Connection pools and PostgreSQL's caches
/// are not charged to run 1 either.</summary>
internal static class WarmUp
{
    /// <summary>Warm-up is over when a round JIT'd no fewer methods than this share of the round
    /// before: the JIT no longer falls off, and what is left trickles on in every run alike.</summary>
    private const double JitSettled = 0.9;

    /// <summary>Or when a round JIT'd fewer methods than this share of all it and the rounds before
    /// compiled (38,066, 2,731, 546, 245 in four rounds of 3,200 received messages with 100 sessions).</summary>
    private const double JitLeft = 0.02;

    private const int MaxRounds = 4;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Runs <paramref name="round"/> (given its number, answering how many methods the
    /// gateway and the worker JIT'd in it) until the JIT has settled; prints and returns the counts.</summary>
    public static async Task<IReadOnlyList<double>> UntilJitSettledAsync(Func<int, Task<double>> round)
    {
        List<double> jitted = [];
        do
        {
            jitted.Add(await round(jitted.Count + 1));
        }
        while ((jitted.Count < 2 || jitted[^1] < JitSettled * jitted[^2]) && jitted[^1] > JitLeft * jitted.Sum() && jitted.Count < MaxRounds);
        Console.WriteLine($"warm-up: {jitted.Count} rounds, in which the gateway and the worker JIT'd " +
            $"{string.Join(", ", jitted.Select(j => j.ToString("0", CultureInfo.InvariantCulture)))} methods");
        return jitted;
    }

    /// <summary>Methods the cluster's gateways and workers have JIT'd so far (system_runtime_dotnet_jit_compiled_methods).</summary>
    public static async Task<(double Gateways, double Workers)> JittedAsync(LocalCluster cluster)
    {
        double gateways = 0, workers = 0;
        foreach (var gateway in cluster.Gateways)
        {
            gateways += PrometheusText.Sum(await Http.GetStringAsync(new Uri(gateway.RestAddress, "/metrics")), JitMetric);
        }
        foreach (var worker in cluster.Workers)
        {
            workers += PrometheusText.Sum(await Http.GetStringAsync(worker.MetricsAddress), JitMetric);
        }
        return (gateways, workers);
    }

    /// <summary>The runtime's count of methods JIT'd, in a process's /metrics.</summary>
    public const string JitMetric = "system_runtime_dotnet_jit_compiled_methods";
}
