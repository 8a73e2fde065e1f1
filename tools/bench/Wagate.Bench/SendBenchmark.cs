using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;
using Wagate.DevCluster;
using Wagate.DevCluster.Fleet;
using Wagate.DevCluster.Processes;

namespace Wagate.Bench;

/// <summary>Sending messages through one gateway and one worker of a cluster of real processes on
/// PostgreSQL (tools/bench/run starts PostgreSQL, etcd and s3rver), next to a bare gRPC echo
/// service in this process driven by the same client loop: the ceiling of this machine. Measures
/// SendMessage from the client (accepted/s, call latency) and accept -> SENT twice: as the
/// product records it (send_time minus create_time, read back with ListMessages) and as a client
/// following StreamEvents sees it (from the SendMessage reply to the SENT event). The worker's
/// send pacing is off; the tenant's rate limit is the product's own (enterprise plan), and the
/// output says when it refused calls. With <c>--tenants</c> above 1 the sessions belong to that
/// many tenants (one fleet each, sessions dealt out in turn) and the calls go to the tenants in
/// turn: the traffic of many customers at once rather than one customer's campaign. One cluster
/// for every run; each run starts with a full rate bucket.</summary>
internal static class SendBenchmark
{
    /// <summary>PlanLimits.SendRate(Enterprise) of the gateway: SandboxFleet's tenant is on the
    /// enterprise plan. Only printed, and used to let the bucket refill between runs.</summary>
    private const int RatePerSecond = 500;
    private const int RateBurst = 2_000;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan SentPatience = TimeSpan.FromMinutes(5);

    /// <summary>About the size of a short notification; the echo carries the same request.</summary>
    private const string Body = "Your order 4711 has shipped and arrives on Thursday between 9:00 and 12:00. Reply STOP to opt out.";

    public static async Task<int> RunAsync(string[] args)
    {
        var messages = Table.Option(args, "--messages", 2000);
        var runs = Table.Option(args, "--runs", 3);
        var concurrency = Table.Option(args, "--concurrency", 32);
        // Calls a second, started on a fixed schedule (0: as fast as the calls in flight allow):
        // the latency at a given load, e.g. half the rate an unpaced run reached.
        var rate = Table.Option(args, "--rate", 0);
        var tenantCount = Table.Option(args, "--tenants", 1);
        var sessionCount = Table.Option(args, "--sessions", Math.Max(4, tenantCount));
        if (tenantCount < 1 || sessionCount < tenantCount)
        {
            Console.Error.WriteLine($"--sessions ({sessionCount}) must be at least --tenants ({tenantCount}), which must be at least 1: every tenant sends through a session of its own.");
            return 2;
        }
        var keepLogs = args.Contains("--keep-logs");
        var servers = Servers.FromEnvironment("send");
        Console.WriteLine($"SendMessage of {messages} text messages with {concurrency} calls in flight{(rate > 0 ? $" started at {rate} a second" : "")}, across {sessionCount} sandbox sessions " +
            $"of {tenantCount} tenant{(tenantCount == 1 ? "" : "s")}, " +
            $"through 1 gateway and 1 worker on PostgreSQL (send pacing off), next to a bare gRPC echo in this process; " +
            $"{runs} runs; {Environment.ProcessorCount} cores.");
        Console.WriteLine();

        await using var echo = await EchoServer.StartAsync();
        using var echoChannel = GrpcChannel.ForAddress(echo.Address);
        var echoCalls = echoChannel.CreateCallInvoker();

        var directory = Directory.CreateTempSubdirectory("wagate-send-").FullName;
        var options = new LocalClusterOptions
        {
            Directory = directory,
            Postgres = await servers.CreateDatabaseAsync("wagate_send_"),
            Etcd = servers.Etcd,
            EtcdPrefix = $"/bench-{Guid.NewGuid():N}/",
            S3 = new S3Bucket(servers.S3, "send-" + Guid.NewGuid().ToString("N")[..12], "S3RVER", "S3RVER"),
            Gateways = 1,
            Workers = 1,
            // The worker's pacing (a second or more between two messages of a session, against
            // bans) would measure the pacing; this benchmark measures the pipeline.
            Environment = new Dictionary<string, string> { ["WAGATE_SEND_MIN_GAP_MS"] = "0", ["WAGATE_SEND_JITTER_MS"] = "0" },
        };
        List<Result> results = [];
        try
        {
            var starting = Stopwatch.StartNew();
            await using var cluster = await LocalCluster.StartAsync(options, ProductBuild.Of(typeof(SendBenchmark).Assembly));
            var gateway = cluster.Gateways[0];
            var fleets = await CreateFleetsAsync(gateway.GrpcAddress, options.Postgres, cluster.Sandbox.Address, tenantCount);
            using var disposeFleets = new Disposables(fleets);
            using var channel = GrpcChannel.ForAddress(gateway.GrpcAddress);
            var target = new Target(new MessageService.MessageServiceClient(channel), await LinkAsync(channel, fleets, sessionCount));
            await using var watcher = SentWatcher.Follow(target);
            Console.WriteLine($"cluster up and {sessionCount} sessions of {tenantCount} tenants linked in {starting.Elapsed.TotalSeconds:0} s");

            await WarmUp.UntilJitSettledAsync(async round =>
            {
                var before = await WarmUp.JittedAsync(cluster);
                var tag = $"warm-up{round}";
                await DriveAsync(messages, concurrency, rate, i => EchoOnceAsync(echoCalls, target.Request(i, tag).Request));
                await MeasureSendAsync(target, watcher, tag, messages, concurrency, rate);
                var after = await WarmUp.JittedAsync(cluster);
                await Task.Delay(RefillTime);
                return after.Gateways - before.Gateways + after.Workers - before.Workers;
            });

            for (var run = 1; run <= runs; run++)
            {
                var tag = $"run{run}";
                var echoed = await DriveAsync(messages, concurrency, rate, i => EchoOnceAsync(echoCalls, target.Request(i, tag).Request));
                var stateBefore = await StateWrites.ReadAsync(cluster.Workers.Select(w => w.MetricsAddress));
                var (sent, limited, sentStates) = await MeasureSendAsync(target, watcher, tag, messages, concurrency, rate);
                var state = await StateWrites.ReadAsync(cluster.Workers.Select(w => w.MetricsAddress)) - stateBefore;
                results.Add(new Result(echoed, sent, limited, sentStates, state));
                Console.WriteLine($"run {run}: echo {Table.Number(echoed.PerSecond, "0")} calls/s, SendMessage {Table.Number(sent.PerSecond, "0")} accepted/s, " +
                    $"{sentStates.Sent} SENT, {sentStates.Failed} failed, {limited} rate-limited replies");
                if (run < runs)
                {
                    await Task.Delay(RefillTime); // the next run starts with a full bucket, as this one did
                }
            }
        }
        catch
        {
            Console.Error.WriteLine($"The cluster's logs are kept in {options.LogDirectory}");
            throw;
        }
        if (keepLogs)
        {
            Console.WriteLine($"The cluster's logs are kept in {options.LogDirectory}");
        }
        else
        {
            Directory.Delete(directory, recursive: true);
        }

        Console.WriteLine();
        PrintTables(results, messages);
        Console.WriteLine();
        PrintNotes(results, tenantCount);
        return 0;
    }

    /// <summary>From empty to full at the plan's rate.</summary>
    private static TimeSpan RefillTime => TimeSpan.FromSeconds((double)RateBurst / RatePerSecond);

    private static void PrintTables(List<Result> results, int messages)
    {
        Console.WriteLine("SendMessage next to the bare gRPC echo (same client loop and concurrency; latency per call, in ms)");
        var calls = results.Select((r, i) => CallsRow($"run {i + 1}", r.Echo.PerSecond, r.Echo.P50, r.Echo.P99, r.Send.PerSecond, r.Send.P50, r.Send.P99, r.RateLimited)).ToList();
        calls.Add(CallsRow("median",
            Median(r => r.Echo.PerSecond), Median(r => r.Echo.P50), Median(r => r.Echo.P99),
            Median(r => r.Send.PerSecond), Median(r => r.Send.P50), Median(r => r.Send.P99), Median(r => r.RateLimited)));
        Table.Print(["", "echo calls/s", "echo p50", "echo p99", "SendMessage accepted/s", "p50", "p99", "rate-limited replies",
            "SendMessage/echo calls/s", "SendMessage/echo p50"], calls);
        Console.WriteLine();

        Console.WriteLine("accept -> SENT, in ms: as recorded (send_time - create_time) and as a client sees it (SendMessage reply -> SENT event on StreamEvents)");
        var sent = results.Select((r, i) => SentRow($"run {i + 1}", r.Sent.Sent, r.Sent.Failed, r.Sent.Recorded.P50, r.Sent.Recorded.P99,
            r.Sent.Seen.P50, r.Sent.Seen.P99, r.Sent.Span.TotalSeconds)).ToList();
        sent.Add(SentRow("median", Median(r => r.Sent.Sent), Median(r => r.Sent.Failed), Median(r => r.Sent.Recorded.P50), Median(r => r.Sent.Recorded.P99),
            Median(r => r.Sent.Seen.P50), Median(r => r.Sent.Seen.P99), Median(r => r.Sent.Span.TotalSeconds)));
        Table.Print(["", "messages", "SENT", "failed", "recorded p50", "recorded p99", "seen p50", "seen p99", "first call to last SENT seen (s)", "SENT/s"], sent);
        Console.WriteLine();

        Console.WriteLine("Session state writes of the worker while a run's messages were sent (each send advances its session's state)");
        var state = results.Select((r, i) => r.State.Row($"run {i + 1}", messages, r.Sent.Span.TotalSeconds)).ToList();
        state.Add(new StateWrites(Median(r => r.State.Commits), Median(r => r.State.Deltas), Median(r => r.State.Snapshots))
            .Row("median", messages, Median(r => r.Sent.Span.TotalSeconds)));
        Table.Print(StateWrites.Header, state);
        return;

        double Median(Func<Result, double> pick) => Table.Median(results.Select(pick));

        static string[] CallsRow(string label, double echoRate, double echoP50, double echoP99, double sendRate, double sendP50, double sendP99, double limited) =>
        [
            label,
            Table.Number(echoRate, "0"), Table.Number(echoP50, "0.00"), Table.Number(echoP99, "0.00"),
            Table.Number(sendRate, "0"), Table.Number(sendP50, "0.00"), Table.Number(sendP99, "0.00"),
            Table.Number(limited, "0"),
            Table.Number(sendRate / echoRate, "0.000"), Table.Number(sendP50 / echoP50, "0.0"),
        ];

        string[] SentRow(string label, double count, double failed, double recordedP50, double recordedP99, double seenP50, double seenP99, double span) =>
        [
            label, messages.ToString(CultureInfo.InvariantCulture), Table.Number(count, "0"), Table.Number(failed, "0"),
            Table.Number(recordedP50, "0.0"), Table.Number(recordedP99, "0.0"), Table.Number(seenP50, "0.0"), Table.Number(seenP99, "0.0"),
            Table.Number(span, "0.00"), Table.Number(count / span, "0"),
        ];
    }

    private static void PrintNotes(List<Result> results, int tenants)
    {
        var limited = results.Sum(r => r.RateLimited);
        // What one tenant sent a second: the plan's limit is per tenant.
        var medianRate = Table.Median(results.Select(r => r.Send.PerSecond)) / tenants;
        Console.WriteLine(limited > 0
            ? $"The tenant's rate limit (enterprise plan: {RatePerSecond} sends/s, bursts of {RateBurst}) refused {limited} calls, retried after " +
              "the delay its RetryInfo gave: accepted/s is capped by the plan there, not by the pipeline."
            : $"No call was refused by the tenant's rate limit (enterprise plan: {RatePerSecond} sends/s, bursts of {RateBurst}; each run " +
              "began with a full bucket)." + (medianRate > RatePerSecond
                  ? $" The median {medianRate:0} accepted/s a tenant is above what one tenant may sustain: longer runs would be capped at {RatePerSecond}/s by the plan."
                  : ""));
        Console.WriteLine("Recorded: send_time is the sandbox network's clock when it took the message, which the session's worker sends " +
            "only after storing its advanced session state (a delta row in PostgreSQL, group-committed with the other sessions'). Seen: " +
            "the SENT status is then written to PostgreSQL; StreamEvents reads new events every 200 ms.");
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, shared by everything: this process (the clients, the echo server, " +
            "the event stream), the gateway, the worker, the sandbox network, PostgreSQL, etcd and s3rver.");
    }

    private sealed record Result(Load Echo, Load Send, int RateLimited, SentStates Sent, StateWrites State);

    /// <summary>Calls made by the client loop: how many per second, and the latency of each.</summary>
    private sealed record Load(double PerSecond, double P50, double P99);

    private sealed record Percentiles(double P50, double P99)
    {
        public static Percentiles Of(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return new Percentiles(Percentile(sorted, 0.50), Percentile(sorted, 0.99));
        }
    }

    /// <summary>What became of a run's messages: how many reached SENT and how soon after being
    /// accepted (<paramref name="Recorded"/>: send_time - create_time; <paramref name="Seen"/>: from
    /// the reply to the SENT event), how many failed, and the time from the run's first call to the
    /// last SENT event.</summary>
    private sealed record SentStates(int Sent, int Failed, Percentiles Recorded, Percentiles Seen, TimeSpan Span);

    /// <summary>One tenant's sessions to send through, its recipients, and how to reach the gateway as it.</summary>
    private sealed record TenantTarget(string Tenant, Metadata Credentials, IReadOnlyList<string> Sessions, IReadOnlyList<string> Recipients);

    /// <summary>Every tenant sending, and the client they share.</summary>
    private sealed record Target(MessageService.MessageServiceClient Messages, IReadOnlyList<TenantTarget> Tenants)
    {
        /// <summary>The <paramref name="index"/>th message of a run: tenants in turn, each through its
        /// sessions in turn, each to its recipients in turn.</summary>
        public (TenantTarget From, SendMessageRequest Request) Request(int index, string run)
        {
            var tenant = Tenants[index % Tenants.Count];
            var nth = index / Tenants.Count;
            return (tenant, new SendMessageRequest
            {
                Parent = tenant.Sessions[nth % tenant.Sessions.Count],
                To = tenant.Recipients[nth / tenant.Sessions.Count % tenant.Recipients.Count],
                RequestId = $"{run}-{index:D7}",
                Text = new TextContent { Body = Body },
            });
        }

        public IEnumerable<(TenantTarget Tenant, string Session)> Sessions =>
            Tenants.SelectMany(tenant => tenant.Sessions.Select(session => (tenant, session)));
    }

    /// <summary>Registers <paramref name="count"/> tenants on the enterprise plan, a few at a time.</summary>
    private static async Task<IReadOnlyList<SandboxFleet>> CreateFleetsAsync(Uri gateway, string postgres, Uri sandbox, int count)
    {
        var fleets = new SandboxFleet[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, cancelled) => fleets[i] = await SandboxFleet.CreateAsync(gateway, postgres, sandbox, cancelled));
        return fleets;
    }

    /// <summary>Links <paramref name="sessionCount"/> sessions dealt out to the fleets in turn, and as
    /// many recipient phones per tenant as it has sessions.</summary>
    private static async Task<IReadOnlyList<TenantTarget>> LinkAsync(GrpcChannel channel, IReadOnlyList<SandboxFleet> fleets, int sessionCount)
    {
        var targets = new TenantTarget[fleets.Count];
        await Parallel.ForAsync(0, fleets.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancelled) =>
        {
            var fleet = fleets[i];
            var mine = sessionCount / fleets.Count + (i < sessionCount % fleets.Count ? 1 : 0);
            var sessions = await fleet.LinkAsync(mine, TimeSpan.FromMinutes(5), cancelled);
            targets[i] = new TenantTarget(fleet.Tenant, fleet.Credentials, sessions, await CreateRecipientsAsync(channel, fleet, mine));
        });
        return targets;
    }

    /// <summary>Disposes the fleets at the end of the run.</summary>
    private sealed class Disposables(IEnumerable<IDisposable> items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items)
            {
                item.Dispose();
            }
        }
    }

    /// <summary>Phones to send to, on the sandbox network, created through the public SandboxService.
    /// As many as the tenant has sessions: few enough that no session passes the network's limit of
    /// new contacts a minute.</summary>
    private static async Task<IReadOnlyList<string>> CreateRecipientsAsync(GrpcChannel channel, SandboxFleet fleet, int count)
    {
        var phones = new SandboxService.SandboxServiceClient(channel);
        var credentials = fleet.Credentials;
        var numbers = Enumerable.Range(0, count).Select(i => "+1557" + i.ToString("D7", CultureInfo.InvariantCulture)).ToList();
        foreach (var number in numbers)
        {
            await phones.CreateSandboxPhoneAsync(new CreateSandboxPhoneRequest { Parent = fleet.Tenant, SandboxPhone = new SandboxPhone { PhoneNumber = number } },
                credentials);
        }
        return numbers;
    }

    /// <summary>Sends a run's messages, then waits until none is QUEUED and every SENT one was
    /// seen on the event stream, and reads back when each was accepted and SENT.</summary>
    private static async Task<(Load Load, int RateLimited, SentStates Sent)> MeasureSendAsync(
        Target target, SentWatcher watcher, string run, int count, int concurrency, double rate)
    {
        var names = new string[count];
        var replied = new long[count];
        var limited = 0;
        var started = DateTime.UtcNow;
        var first = Stopwatch.GetTimestamp();
        var load = await DriveAsync(count, concurrency, rate, async i =>
        {
            var (from, request) = target.Request(i, run);
            while (true)
            {
                var call = Stopwatch.GetTimestamp();
                try
                {
                    var reply = await target.Messages.SendMessageAsync(request, from.Credentials);
                    replied[i] = Stopwatch.GetTimestamp();
                    names[i] = reply.Message.Name;
                    return Stopwatch.GetElapsedTime(call, replied[i]);
                }
                catch (RpcException refused) when (refused.StatusCode == StatusCode.ResourceExhausted && RetryDelay(refused) is { } delay)
                {
                    // The rate limit, not the daily quota (which has no RetryInfo): wait as told, and
                    // send the same request id again.
                    Interlocked.Increment(ref limited);
                    await Task.Delay(delay);
                }
            }
        });

        await WaitUntilNoneQueuedAsync(target);
        var found = await ReadBackAsync(target, names, started);
        var sent = found.Where(m => m.SendTime is not null).ToList();
        var seen = await watcher.WaitForAsync(sent.Select(m => m.Name), SentPatience);
        var replyOf = names.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => replied[p.i], StringComparer.Ordinal);
        var span = sent.Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(first, seen.Values.Max());
        return (load, limited, new SentStates(
            sent.Count,
            found.Count(m => m.State == Message.Types.State.Failed),
            Percentiles.Of(sent.Select(m => (m.SendTime.ToDateTime() - m.CreateTime.ToDateTime()).TotalMilliseconds)),
            Percentiles.Of(sent.Select(m => Stopwatch.GetElapsedTime(replyOf[m.Name], seen[m.Name]).TotalMilliseconds)),
            span));
    }

    private static TimeSpan? RetryDelay(RpcException refused) =>
        refused.GetRpcStatus()?.GetDetail<RetryInfo>()?.RetryDelay?.ToTimeSpan();

    /// <summary>Polls until no outbound message of the fleet's sessions is QUEUED.</summary>
    private static async Task WaitUntilNoneQueuedAsync(Target target)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var queued = 0;
            foreach (var (tenant, session) in target.Sessions)
            {
                queued += (await target.Messages.ListMessagesAsync(new ListMessagesRequest
                {
                    Parent = session,
                    PageSize = 1000,
                    Filter = "direction = DIRECTION_OUTBOUND AND state = STATE_QUEUED",
                }, tenant.Credentials)).Messages.Count;
            }
            if (queued == 0)
            {
                return;
            }
            if (waited.Elapsed > SentPatience)
            {
                throw new TimeoutException($"{queued} messages are still QUEUED {SentPatience.TotalMinutes:0} minutes after they were accepted.");
            }
            await Task.Delay(PollInterval);
        }
    }

    /// <summary>The run's messages as ListMessages shows them now.</summary>
    private static async Task<List<Message>> ReadBackAsync(Target target, string[] names, DateTime since)
    {
        var wanted = names.ToHashSet(StringComparer.Ordinal);
        // A little before the first call: create_time is the gateway's clock, "since" ours.
        var from = since.AddSeconds(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var found = new List<Message>();
        foreach (var (tenant, session) in target.Sessions)
        {
            var page = "";
            do
            {
                var response = await target.Messages.ListMessagesAsync(new ListMessagesRequest
                {
                    Parent = session,
                    PageSize = 1000,
                    PageToken = page,
                    Filter = $"direction = DIRECTION_OUTBOUND AND create_time >= \"{from}\"",
                }, tenant.Credentials);
                found.AddRange(response.Messages.Where(m => wanted.Contains(m.Name)));
                page = response.NextPageToken;
            }
            while (page.Length > 0);
        }
        return found;
    }

    private static async Task<TimeSpan> EchoOnceAsync(CallInvoker calls, SendMessageRequest request)
    {
        var call = Stopwatch.GetTimestamp();
        await calls.AsyncUnaryCall(EchoServer.Echo, null, new CallOptions(), request);
        return Stopwatch.GetElapsedTime(call);
    }

    /// <summary>The client loop both sides share: <paramref name="count"/> calls, at most
    /// <paramref name="concurrency"/> in flight, each call timing itself. With a
    /// <paramref name="rate"/>, call i is due i/rate seconds after the first and its latency is
    /// counted from when it was due, so a call that had to wait for a free slot counts that wait
    /// (no coordinated omission).</summary>
    private static async Task<Load> DriveAsync(int count, int concurrency, double rate, Func<int, Task<TimeSpan>> call)
    {
        var latencies = new double[count];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var due = rate > 0 ? TimeSpan.FromSeconds(i / rate) : TimeSpan.Zero;
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }
                var took = await call(i);
                latencies[i] = (rate > 0 ? clock.Elapsed - due : took).TotalMilliseconds;
            }
        })));
        var elapsed = clock.Elapsed;
        var (p50, p99) = Percentiles.Of(latencies);
        return new Load(count / elapsed.TotalSeconds, p50, p99);
    }

    /// <summary>Nearest rank of sorted values; NaN when there are none.</summary>
    private static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(fraction * sorted.Length) - 1)];

    /// <summary>Follows each tenant's StreamEvents (message status changes only), as a client
    /// waiting for its messages would, and notes when the SENT event of each message arrived.</summary>
    private sealed class SentWatcher : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<string, long> _sentSeen = new(StringComparer.Ordinal);
        private readonly CancellationTokenSource _stop = new();
        private Task _following = Task.CompletedTask;

        public static SentWatcher Follow(Target target)
        {
            var watcher = new SentWatcher();
            watcher._following = Task.WhenAll(target.Tenants.Select(tenant => watcher.FollowAsync(target.Messages, tenant, watcher._stop.Token)));
            return watcher;
        }

        /// <summary>Waits until the SENT event of every message named has arrived; returns when each did (Stopwatch ticks).</summary>
        public async Task<IReadOnlyDictionary<string, long>> WaitForAsync(IEnumerable<string> names, TimeSpan patience)
        {
            var wanted = names.ToList();
            var waited = Stopwatch.StartNew();
            while (wanted.Count(name => !_sentSeen.ContainsKey(name)) is var missing and > 0)
            {
                if (_following.IsCompleted)
                {
                    await _following; // the stream ended: say why
                    throw new InvalidOperationException("StreamEvents ended before every SENT event arrived.");
                }
                if (waited.Elapsed > patience)
                {
                    throw new TimeoutException($"The SENT events of {missing} messages did not arrive on StreamEvents within {patience.TotalMinutes:0} minutes.");
                }
                await Task.Delay(PollInterval);
            }
            return wanted.ToDictionary(name => name, name => _sentSeen[name], StringComparer.Ordinal);
        }

        private async Task FollowAsync(MessageService.MessageServiceClient messages, TenantTarget tenant, CancellationToken stop)
        {
            using var stream = messages.StreamEvents(
                new StreamEventsRequest { Parent = tenant.Tenant, EventTypes = { EventType.MessageStatusChanged } }, tenant.Credentials, cancellationToken: stop);
            await foreach (var response in stream.ResponseStream.ReadAllAsync(stop))
            {
                if (response.Event.Message is { State: Message.Types.State.Sent } message)
                {
                    _sentSeen.TryAdd(message.Name, Stopwatch.GetTimestamp());
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _following;
            }
            catch (Exception stopped) when (stopped is OperationCanceledException || stopped is RpcException { StatusCode: StatusCode.Cancelled })
            {
                // Hung up, as intended.
            }
            _stop.Dispose();
        }
    }
}
