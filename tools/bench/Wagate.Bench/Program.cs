using Wagate.Bench;

// tools/bench/run <benchmark> [options]; see README.md in this folder.
return args.FirstOrDefault() switch
{
    "sessions" => await SessionsBenchmark.RunAsync(args.Skip(1).ToArray()),
    "failover" => await FailoverBenchmark.RunAsync(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: tools/bench/run sessions [--sessions N] [--runs N]");
    Console.Error.WriteLine("       tools/bench/run failover [--sessions N] [--runs N] [--lease-ttl SECONDS]");
    return 2;
}
