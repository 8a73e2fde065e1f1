using Wagate.Bench;

// tools/bench/run <benchmark> [options]; see README.md in this folder.
return args.FirstOrDefault() switch
{
    "sessions" => await SessionsBenchmark.RunAsync(args.Skip(1).ToArray()),
    "failover" => await FailoverBenchmark.RunAsync(args.Skip(1).ToArray()),
    "send" => await SendBenchmark.RunAsync(args.Skip(1).ToArray()),
    "receive" => await ReceiveBenchmark.RunAsync(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: tools/bench/run sessions [--sessions N] [--runs N]");
    Console.Error.WriteLine("       tools/bench/run failover [--sessions N] [--runs N] [--lease-ttl SECONDS]");
    Console.Error.WriteLine("       tools/bench/run send [--messages N] [--runs N] [--concurrency N] [--sessions N] [--keep-logs]");
    Console.Error.WriteLine("       tools/bench/run receive [--sessions N] [--messages N] [--runs N] [--concurrency N] [--keep-logs]");
    return 2;
}
