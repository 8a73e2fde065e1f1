using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Contracts.Webhook.V1;
using Wagate.DevCluster;
using Wagate.DevCluster.Fleet;
using Wagate.DevCluster.Processes;

namespace Wagate.Bench;

/// <summary>Receiving messages through one worker and one gateway of a cluster of real processes
/// on PostgreSQL (tools/bench/run starts PostgreSQL, etcd and s3rver): N sandbox sessions linked
/// through the public API, as many "peer" phones on the sandbox network writing to them through
/// the public SandboxService (SendSandboxMessage, with bounded concurrency, sessions in turn),
/// and a webhook for MESSAGE_RECEIVED pointing at a local receiver in this process
/// (<see cref="WebhookReceiver"/>). Each message carries a tag in its text, so both ends know
/// which message they see. From the phone's SendSandboxMessage reply (the network has the
/// message) it measures two times per message:
/// <list type="bullet">
/// <item>stored: until its MESSAGE_RECEIVED event arrives on StreamEvents, which a client follows
/// through the run. The event is appended in the transaction that stores the message, so it is
/// seen when the message is visible to the API, plus up to the stream's 200 ms poll: an upper
/// bound, which the webhook may beat (a negative "webhook after stored").
/// The product's own record cannot time this: a received message's create_time (and its event's
/// time) is the network's send_time, when the phone sent it, not when the worker stored it
/// (the output shows the largest difference between the two).</item>
/// <item>webhook delivered: until the first POST of its event reaches the local receiver
/// (signature verified, duplicates counted apart).</item>
/// </list>
/// Also messages/s: stored and delivered, from the run's first send to the last message seen;
/// and what each run cost (<see cref="Costs"/>): CPU seconds per process, and the worker's
/// session-state writes, the gateway's webhook POSTs and their JIT from their /metrics. Warm-up
/// rounds first, until the JIT has tiered up; 32 messages a session by default, so that every run
/// does the same state compactions (<see cref="WritesPerCompaction"/>).
/// Nothing is paced or rate-limited on the receiving side (the tenant's rate limit is on
/// SendMessage only). One cluster for every run; a run waits, with bounded patience, until every
/// message was stored and delivered, and fails saying what is missing otherwise.</summary>
internal static class ReceiveBenchmark
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    /// <summary>Every 64th state delta of a session compacts its state into a snapshot object.
    /// Each inbound message takes at most one delta, so with this many messages a session (the
    /// default) every run does about the same compactions; runs that did one and runs that did
    /// none differed by half when compaction was in the write's path.</summary>
    private const int WritesPerCompaction = Wagate.Worker.State.DatabaseSessionStateStore.CompactAfter;

    /// <summary>About the size of a short customer message; each text starts with its tag.</summary>
    private const string Body = "Hi, is order 4711 still arriving on Thursday? I am home after 9:00, please ring twice.";

    public static async Task<int> RunAsync(string[] args)
    {
        var sessionCount = Table.Option(args, "--sessions", 100);
        var messages = Table.Option(args, "--messages", WritesPerCompaction * sessionCount);
        var runs = Table.Option(args, "--runs", 3);
        var concurrency = Table.Option(args, "--concurrency", 32);
        var keepLogs = args.Contains("--keep-logs");
        var servers = Servers.FromEnvironment("receive");
        Console.WriteLine($"{messages} text messages from {sessionCount} sandbox phones to {sessionCount} sandbox sessions (SendSandboxMessage, " +
            $"{concurrency} calls in flight), received by 1 worker on PostgreSQL, stored, and delivered by 1 gateway to a webhook receiver " +
            $"in this process; {runs} runs; {Environment.ProcessorCount} cores.");
        Console.WriteLine();

        await using var receiver = await WebhookReceiver.StartAsync(TagOf);
        var directory = Directory.CreateTempSubdirectory("wagate-receive-").FullName;
        var options = new LocalClusterOptions
        {
            Directory = directory,
            Postgres = await servers.CreateDatabaseAsync("wagate_receive_"),
            Etcd = servers.Etcd,
            EtcdPrefix = $"/bench-{Guid.NewGuid():N}/",
            S3 = new S3Bucket(servers.S3, "receive-" + Guid.NewGuid().ToString("N")[..12], "S3RVER", "S3RVER"),
            Gateways = 1,
            Workers = 1,
            // The receiver is on 127.0.0.1 over plain http, which webhooks may reach only when the
            // platform allows it (development and tests).
            Environment = new Dictionary<string, string> { ["WAGATE_WEBHOOK_ALLOW_LOOPBACK"] = "1" },
        };
        List<Result> results = [];
        var createTimeOffset = 0.0;
        var storedTwice = 0;
        try
        {
            var starting = Stopwatch.StartNew();
            await using var cluster = await LocalCluster.StartAsync(options, ProductBuild.Of(typeof(ReceiveBenchmark).Assembly));
            var gateway = cluster.Gateways[0];
            using var fleet = await SandboxFleet.CreateAsync(gateway.GrpcAddress, options.Postgres, cluster.Sandbox.Address);
            var sessions = await fleet.LinkAsync(sessionCount, TimeSpan.FromMinutes(5));
            using var channel = GrpcChannel.ForAddress(gateway.GrpcAddress);
            var webhooks = new WebhookService.WebhookServiceClient(channel);
            var webhook = (await webhooks.CreateWebhookAsync(new CreateWebhookRequest
            {
                Parent = fleet.Tenant,
                Webhook = new Webhook { Url = receiver.Url.ToString(), EventTypes = { EventType.MessageReceived } },
            }, fleet.Credentials)).Webhook;
            receiver.Secret = webhook.Secret;
            var target = new Target(new SandboxService.SandboxServiceClient(channel), new MessageService.MessageServiceClient(channel), webhooks,
                fleet, webhook.Name, [.. sessions.Select(SandboxFleet.PhoneOf)], await CreatePeersAsync(channel, fleet, sessionCount));
            await using var watcher = StoredWatcher.Follow(target);
            Console.WriteLine($"cluster up, {sessionCount} sessions linked, {sessionCount} peer phones and the webhook created in {starting.Elapsed.TotalSeconds:0} s");

            await WarmUp.UntilJitSettledAsync(async round =>
                (await MeasureAsync(cluster, servers, target, watcher, receiver, $"warm-up{round}", messages, concurrency)).Costs.Jitted);

            for (var run = 1; run <= runs; run++)
            {
                var result = await MeasureAsync(cluster, servers, target, watcher, receiver, $"run{run}", messages, concurrency);
                results.Add(result);
                createTimeOffset = Math.Max(createTimeOffset, result.CreateTimeOffset);
                Console.WriteLine($"run {run}: {Table.Number(result.Phones.PerSecond, "0")} phone sends/s, " +
                    $"{Table.Number(messages / result.StoredSpan.TotalSeconds, "0")} stored/s, {Table.Number(messages / result.WebhookSpan.TotalSeconds, "0")} webhooks/s");
            }
            storedTwice = watcher.AnnouncedTwice;
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
        PrintNotes(receiver, storedTwice, createTimeOffset);
        return 0;
    }

    private static void PrintTables(List<Result> results, int messages)
    {
        Console.WriteLine("Rates: the peer phones' SendSandboxMessage calls (latency per call, in ms), then the time from the run's first call " +
            "to the last message stored and to the last webhook delivered (s), and the messages/s that makes");
        var rates = results.Select((r, i) => RateRow($"run {i + 1}", r.Phones.PerSecond, r.Phones.P50, r.Phones.P99,
            r.StoredSpan.TotalSeconds, r.WebhookSpan.TotalSeconds)).ToList();
        rates.Add(RateRow("median", Median(r => r.Phones.PerSecond), Median(r => r.Phones.P50), Median(r => r.Phones.P99),
            Median(r => r.StoredSpan.TotalSeconds), Median(r => r.WebhookSpan.TotalSeconds)));
        Table.Print(["", "messages", "phone sends/s", "send p50", "send p99", "last stored (s)", "stored/s", "last webhook (s)", "webhooks/s"], rates);
        Console.WriteLine();

        Console.WriteLine("Latency per message, in ms from the phone's SendSandboxMessage reply: stored (its MESSAGE_RECEIVED on StreamEvents) " +
            "and webhook delivered (its first POST at the receiver); and the webhook after the stored event, per message");
        var latency = results.Select((r, i) => LatencyRow($"run {i + 1}", r.Stored.P50, r.Stored.P99, r.Webhook.P50, r.Webhook.P99,
            r.WebhookAfterStored.P50, r.WebhookAfterStored.P99)).ToList();
        latency.Add(LatencyRow("median", Median(r => r.Stored.P50), Median(r => r.Stored.P99), Median(r => r.Webhook.P50), Median(r => r.Webhook.P99),
            Median(r => r.WebhookAfterStored.P50), Median(r => r.WebhookAfterStored.P99)));
        Table.Print(["", "stored p50", "stored p99", "webhook p50", "webhook p99", "webhook after stored p50", "p99"], latency);
        Console.WriteLine();

        Console.WriteLine("Where the time goes, over each run (first send to last webhook): CPU seconds of this process, the gateway, the worker, " +
            "the sandbox network, PostgreSQL, s3rver, etcd and everything else on the machine; the worker's session-state writes and the " +
            "gateway's webhook POSTs (their mean, in ms), the state-write tries that failed and were retried, " +
            "and the methods the gateway and worker JIT'd");
        var costs = results.Select((r, i) => CostRow($"run {i + 1}", r.Costs)).ToList();
        costs.Add(CostRow("median", new Costs(Median(r => r.Costs.Bench), Median(r => r.Costs.Gateway), Median(r => r.Costs.Worker),
            Median(r => r.Costs.Sandbox), Median(r => r.Costs.Postgres), Median(r => r.Costs.S3), Median(r => r.Costs.Etcd), Median(r => r.Costs.Other),
            new Timed(Median(r => r.Costs.StateWrites.Count), Median(r => r.Costs.StateWrites.Seconds)), Median(r => r.Costs.StateWriteRetries),
            new Timed(Median(r => r.Costs.WebhookPosts.Count), Median(r => r.Costs.WebhookPosts.Seconds)), Median(r => r.Costs.GatewayJitted), Median(r => r.Costs.WorkerJitted))));
        Table.Print(["", "CPU (s): bench", "gateway", "worker", "sandbox", "PostgreSQL", "s3rver", "etcd", "other", "state writes", "mean write", "write tries failed",
            "webhook POSTs", "mean POST", "JIT'd: gateway", "worker"], costs);
        Console.WriteLine();

        Console.WriteLine("Session state writes of the worker over each run (each received message advances its session's state)");
        var state = results.Select((r, i) => r.State.Row($"run {i + 1}", messages, r.StoredSpan.TotalSeconds)).ToList();
        state.Add(new StateWrites(Median(r => r.State.Commits), Median(r => r.State.Deltas), Median(r => r.State.Snapshots))
            .Row("median", messages, Median(r => r.StoredSpan.TotalSeconds)));
        Table.Print(StateWrites.Header, state);
        return;

        double Median(Func<Result, double> pick) => Table.Median(results.Select(pick));

        string[] RateRow(string label, double sendRate, double sendP50, double sendP99, double storedSpan, double webhookSpan) =>
        [
            label, messages.ToString(CultureInfo.InvariantCulture),
            Table.Number(sendRate, "0"), Table.Number(sendP50, "0.0"), Table.Number(sendP99, "0.0"),
            Table.Number(storedSpan, "0.00"), Table.Number(messages / storedSpan, "0"),
            Table.Number(webhookSpan, "0.00"), Table.Number(messages / webhookSpan, "0"),
        ];

        static string[] CostRow(string label, Costs c) =>
        [
            label,
            Table.Number(c.Bench, "0.0"), Table.Number(c.Gateway, "0.0"), Table.Number(c.Worker, "0.0"), Table.Number(c.Sandbox, "0.0"),
            Table.Number(c.Postgres, "0.0"), Table.Number(c.S3, "0.0"), Table.Number(c.Etcd, "0.0"), Table.Number(c.Other, "0.0"),
            Table.Number(c.StateWrites.Count, "0"), Table.Number(c.StateWrites.MeanMilliseconds, "0.0"), Table.Number(c.StateWriteRetries, "0"),
            Table.Number(c.WebhookPosts.Count, "0"), Table.Number(c.WebhookPosts.MeanMilliseconds, "0.0"), Table.Number(c.GatewayJitted, "0"), Table.Number(c.WorkerJitted, "0"),
        ];

        static string[] LatencyRow(string label, double storedP50, double storedP99, double webhookP50, double webhookP99, double afterP50, double afterP99) =>
        [
            label,
            Table.Number(storedP50, "0"), Table.Number(storedP99, "0"), Table.Number(webhookP50, "0"), Table.Number(webhookP99, "0"),
            Table.Number(afterP50, "0"), Table.Number(afterP99, "0"),
        ];
    }

    private static void PrintNotes(WebhookReceiver receiver, int storedTwice, double createTimeOffset)
    {
        Console.WriteLine($"StreamEvents carried {storedTwice} MESSAGE_RECEIVED events of a message announced before (a message stored twice).");
        Console.WriteLine($"The receiver took {receiver.Deliveries} POSTs (the warm-up rounds' included): {receiver.Redelivered} repeated an event already " +
            $"received (same Wagate-Event-Id), {receiver.AnnouncedTwice} announced a message already announced by another event, " +
            $"{receiver.Unverified} carried a signature that does not verify with the webhook's secret, {receiver.Unreadable} were not " +
            "an event of a benchmark message.");
        Console.WriteLine($"Stored is seen on StreamEvents, which reads new events every 200 ms: up to 200 ms of each stored time is that poll, " +
            "so a webhook can arrive before the stream shows its event (a negative webhook after stored). " +
            $"A received message's create_time is the network's send_time (largest difference seen: {createTimeOffset:0.0} ms), not when it " +
            "was stored, so the product's record cannot time the store. Webhooks: the gateway's dispatcher claims due deliveries 32 at a " +
            "time and POSTs 8 at once, and looks again 250 ms after finding none.");
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, shared by everything: this process (the phones' client, the event " +
            "stream, the webhook receiver), the gateway, the worker, the sandbox network, PostgreSQL, etcd and s3rver.");
    }

    private sealed record Result(
        Load Phones, Percentiles Stored, Percentiles Webhook, Percentiles WebhookAfterStored, TimeSpan StoredSpan, TimeSpan WebhookSpan, double CreateTimeOffset,
        Costs Costs, StateWrites State);

    /// <summary>What a run cost, as the difference of two readings: CPU seconds of this process,
    /// the gateway, the worker, the sandbox network, PostgreSQL (all its processes), s3rver and
    /// etcd, and of everything else on this shared machine meanwhile (<see cref="ProcCpu"/>); from
    /// their /metrics, the worker's session-state writes (wagate_state_write_seconds: written, and
    /// the tries that failed and were retried), the gateway's webhook POSTs
    /// (wagate_webhook_delivery_seconds, succeeded), and the methods the gateway and the worker
    /// JIT'd (system_runtime_dotnet_jit_compiled_methods).</summary>
    private sealed record Costs(
        double Bench, double Gateway, double Worker, double Sandbox, double Postgres, double S3, double Etcd, double Other,
        Timed StateWrites, double StateWriteRetries, Timed WebhookPosts, double GatewayJitted, double WorkerJitted)
    {
        private static readonly HttpClient Http = new();

        public static async Task<Costs> ReadAsync(LocalCluster cluster, Servers servers)
        {
            var worker = await Http.GetStringAsync(cluster.Workers[0].MetricsAddress);
            var gateway = await Http.GetStringAsync(new Uri(cluster.Gateways[0].RestAddress, "/metrics"));
            var machine = ProcCpu.Machine();
            double[] parts =
            [
                // This process alone: the cluster's processes are its children.
                Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, ProcCpu.OfTree(cluster.Gateways[0].ProcessId), ProcCpu.OfTree(cluster.Workers[0].ProcessId),
                ProcCpu.OfTree(cluster.Sandbox.ProcessId), ProcCpu.OfTree(PostgresProcess(servers)), ProcCpu.OfTree(S3Process(servers)),
                ProcCpu.OfTree(EtcdProcess(servers)),
            ];
            return new Costs(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6], machine - parts.Where(double.IsFinite).Sum(),
                Timed.Scrape(worker, "wagate_state_write_seconds", "written"), Timed.Scrape(worker, "wagate_state_write_seconds", "retrying").Count,
                Timed.Scrape(gateway, "wagate_webhook_delivery_seconds", "succeeded"),
                PrometheusText.Sum(gateway, WarmUp.JitMetric), PrometheusText.Sum(worker, WarmUp.JitMetric));
        }

        /// <summary>The postmaster started with <c>-p PORT</c> (tools/lib/common.sh start_postgres); its backends are its children.</summary>
        private static int? PostgresProcess(Servers servers)
        {
            var port = new Npgsql.NpgsqlConnectionStringBuilder(servers.Postgres).Port.ToString(CultureInfo.InvariantCulture);
            return ProcCpu.Find(argv => argv[0].EndsWith("/postgres", StringComparison.Ordinal) && ProcCpu.HasOption(argv, "-p", port));
        }

        private static int? S3Process(Servers servers)
        {
            var port = servers.S3[(servers.S3.LastIndexOf(':') + 1)..];
            return ProcCpu.Find(argv => argv.Any(a => a.EndsWith("s3rver.js", StringComparison.Ordinal)) && ProcCpu.HasOption(argv, "-p", port));
        }

        private static int? EtcdProcess(Servers servers)
        {
            var client = $"http://{servers.Etcd.Authority}";
            return ProcCpu.Find(argv => argv[0].EndsWith("etcd", StringComparison.Ordinal) && ProcCpu.HasOption(argv, "--listen-client-urls", client));
        }

        public Costs Minus(Costs before) => new(Bench - before.Bench, Gateway - before.Gateway, Worker - before.Worker, Sandbox - before.Sandbox,
            Postgres - before.Postgres, S3 - before.S3, Etcd - before.Etcd, Other - before.Other,
            StateWrites.Minus(before.StateWrites), StateWriteRetries - before.StateWriteRetries, WebhookPosts.Minus(before.WebhookPosts),
            GatewayJitted - before.GatewayJitted, WorkerJitted - before.WorkerJitted);

        /// <summary>Methods the gateway and the worker JIT'd.</summary>
        public double Jitted => GatewayJitted + WorkerJitted;
    }

    /// <summary>A histogram's count and sum, of one outcome.</summary>
    private sealed record Timed(double Count, double Seconds)
    {
        public double MeanMilliseconds => Count == 0 ? double.NaN : Seconds / Count * 1000;

        public Timed Minus(Timed before) => new(Count - before.Count, Seconds - before.Seconds);

        /// <summary>From Prometheus text: <c>{name}_count</c> and <c>{name}_sum</c> of the series labelled <c>outcome="{outcome}"</c>, summed.</summary>
        public static Timed Scrape(string metrics, string name, string outcome)
        {
            return new Timed(Sum("_count"), Sum("_sum"));

            double Sum(string suffix) => metrics.Split('\n')
                .Where(line => line.StartsWith(name + suffix + "{", StringComparison.Ordinal) && line.Contains($"outcome=\"{outcome}\"", StringComparison.Ordinal))
                .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
        }
    }

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

    /// <summary>The tenant, its sessions' phone numbers, the peer phones that write to them, and
    /// the services to reach as the tenant.</summary>
    private sealed record Target(
        SandboxService.SandboxServiceClient Phones, MessageService.MessageServiceClient Messages, WebhookService.WebhookServiceClient Webhooks,
        SandboxFleet Fleet, string Webhook, IReadOnlyList<string> SessionNumbers, IReadOnlyList<string> Peers)
    {
        public string Tenant => Fleet.Tenant;

        public Metadata Credentials => Fleet.Credentials;

        /// <summary>The <paramref name="index"/>th message of a run: to the sessions in turn, each
        /// from the peers in turn.</summary>
        public SendSandboxMessageRequest Request(int index, string run) => new()
        {
            Name = Peers[index / SessionNumbers.Count % Peers.Count],
            To = SessionNumbers[index % SessionNumbers.Count],
            Text = $"{Tag(run, index)} {Body}",
        };
    }

    private static string Tag(string run, int index) => $"{run}-{index:D7}";

    /// <summary>The tag of the benchmark message an event announces, or null.</summary>
    private static string? TagOf(Event @event) =>
        @event.Message?.Content?.Text?.Body is { } body && body.IndexOf(' ', StringComparison.Ordinal) is > 0 and var space ? body[..space] : null;

    /// <summary>Phones that write to the sessions, created through the public SandboxService; as
    /// many as there are sessions. Returns their resource names.</summary>
    private static async Task<IReadOnlyList<string>> CreatePeersAsync(GrpcChannel channel, SandboxFleet fleet, int count)
    {
        var phones = new SandboxService.SandboxServiceClient(channel);
        var names = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var created = await phones.CreateSandboxPhoneAsync(new CreateSandboxPhoneRequest
            {
                Parent = fleet.Tenant,
                SandboxPhone = new SandboxPhone { PhoneNumber = "+1558" + i.ToString("D7", CultureInfo.InvariantCulture) },
            }, fleet.Credentials);
            names.Add(created.SandboxPhone.Name);
        }
        return names;
    }

    /// <summary>Sends a run's messages from the peer phones, then waits until every one was seen
    /// stored on the event stream and delivered to the webhook receiver.</summary>
    private static async Task<Result> MeasureAsync(
        LocalCluster cluster, Servers servers, Target target, StoredWatcher watcher, WebhookReceiver receiver, string run, int count, int concurrency)
    {
        var costsBefore = await Costs.ReadAsync(cluster, servers);
        var stateBefore = await StateWrites.ReadAsync(cluster.Workers.Select(w => w.MetricsAddress));
        var replied = new long[count];
        var sendTimes = new DateTime[count];
        var first = Stopwatch.GetTimestamp();
        var load = await DriveAsync(count, concurrency, async i =>
        {
            var call = Stopwatch.GetTimestamp();
            var reply = await target.Phones.SendSandboxMessageAsync(target.Request(i, run), target.Credentials);
            replied[i] = Stopwatch.GetTimestamp();
            sendTimes[i] = reply.Message.SendTime.ToDateTime();
            return Stopwatch.GetElapsedTime(call, replied[i]);
        });

        var tags = Enumerable.Range(0, count).Select(i => Tag(run, i)).ToList();
        var stored = await WaitForAsync(tags, watcher.Seen, watcher.ThrowIfEndedAsync, async missing =>
            $"{missing} of the {count} messages of {run} were not seen stored (MESSAGE_RECEIVED on StreamEvents) within " +
            $"{Patience.TotalMinutes:0} minutes of the last send. Sessions: {await target.Fleet.DescribeAsync()}");
        var delivered = await WaitForAsync(tags, receiver.Arrived, () => Task.CompletedTask, async missing =>
            $"{missing} of the {count} messages of {run}, all stored, did not reach the webhook receiver within {Patience.TotalMinutes:0} " +
            $"minutes of the last send ({receiver.Deliveries} POSTs arrived in all). The webhook's newest deliveries: {await DescribeDeliveriesAsync(target)}");
        var costs = (await Costs.ReadAsync(cluster, servers)).Minus(costsBefore);
        var state = await StateWrites.ReadAsync(cluster.Workers.Select(w => w.MetricsAddress)) - stateBefore;

        return new Result(
            load,
            Percentiles.Of(tags.Select((tag, i) => Stopwatch.GetElapsedTime(replied[i], stored[tag]).TotalMilliseconds)),
            Percentiles.Of(tags.Select((tag, i) => Stopwatch.GetElapsedTime(replied[i], delivered[tag]).TotalMilliseconds)),
            Percentiles.Of(tags.Select(tag => Stopwatch.GetElapsedTime(stored[tag], delivered[tag]).TotalMilliseconds)),
            Stopwatch.GetElapsedTime(first, stored.Values.Max()),
            Stopwatch.GetElapsedTime(first, delivered.Values.Max()),
            tags.Select((tag, i) => Math.Abs((watcher.CreateTimeOf(tag) - sendTimes[i]).TotalMilliseconds)).Max(),
            costs, state);
    }

    /// <summary>Polls <paramref name="arrived"/> until every tag is in it; returns when each arrived.</summary>
    /// <param name="check">Runs at every poll: throws when waiting longer is pointless.</param>
    /// <param name="timedOut">Says what is missing, given how many; thrown as a TimeoutException.</param>
    private static async Task<IReadOnlyDictionary<string, long>> WaitForAsync(
        IReadOnlyList<string> tags, IReadOnlyDictionary<string, long> arrived, Func<Task> check, Func<int, Task<string>> timedOut)
    {
        var waited = Stopwatch.StartNew();
        while (tags.Count(tag => !arrived.ContainsKey(tag)) is var missing and > 0)
        {
            await check();
            if (waited.Elapsed > Patience)
            {
                throw new TimeoutException(await timedOut(missing));
            }
            await Task.Delay(PollInterval);
        }
        return tags.ToDictionary(tag => tag, tag => arrived[tag], StringComparer.Ordinal);
    }

    /// <summary>How many of the webhook's newest deliveries are in each state, and the last error of a few that are not settled.</summary>
    private static async Task<string> DescribeDeliveriesAsync(Target target)
    {
        var deliveries = (await target.Webhooks.ListWebhookDeliveriesAsync(
            new ListWebhookDeliveriesRequest { Parent = target.Webhook, PageSize = 1000 }, target.Credentials)).Deliveries;
        var states = string.Join(", ", deliveries.GroupBy(d => d.State).Select(g => $"{g.Count()} {g.Key}"));
        var errors = deliveries.Where(d => d.State != WebhookDelivery.Types.State.Succeeded && d.Attempts.Count > 0).Take(3)
            .Select(d => $"{d.Name}: {d.Attempts.Count} attempts, last '{d.Attempts[^1].Error}'");
        return $"{deliveries.Count} listed: {states}. {string.Join("; ", errors)}";
    }

    /// <summary>The client loop: <paramref name="count"/> calls, at most <paramref name="concurrency"/>
    /// in flight, each call timing itself (as SendBenchmark drives SendMessage).</summary>
    private static async Task<Load> DriveAsync(int count, int concurrency, Func<int, Task<TimeSpan>> call)
    {
        var latencies = new double[count];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                latencies[i] = (await call(i)).TotalMilliseconds;
            }
        })));
        var elapsed = clock.Elapsed;
        var (p50, p99) = Percentiles.Of(latencies);
        return new Load(count / elapsed.TotalSeconds, p50, p99);
    }

    /// <summary>Nearest rank of sorted values; NaN when there are none.</summary>
    private static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(fraction * sorted.Length) - 1)];

    /// <summary>Follows the tenant's StreamEvents (received messages only), as a client waiting
    /// for its messages would, and notes when the MESSAGE_RECEIVED event of each benchmark message
    /// arrived and the create_time it carries.</summary>
    private sealed class StoredWatcher : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, DateTime> _createTimes = new(StringComparer.Ordinal);
        private readonly CancellationTokenSource _stop = new();
        private Task _following = Task.CompletedTask;
        private int _announcedTwice;

        /// <summary>When each tagged message's first event arrived (Stopwatch ticks).</summary>
        public IReadOnlyDictionary<string, long> Seen => _seen;

        /// <summary>The create_time of a tagged message, as its event carries it.</summary>
        public DateTime CreateTimeOf(string tag) => _createTimes[tag];

        /// <summary>Events of a message whose event had arrived before: the message stored twice.</summary>
        public int AnnouncedTwice => Volatile.Read(ref _announcedTwice);

        public static StoredWatcher Follow(Target target)
        {
            var watcher = new StoredWatcher();
            watcher._following = watcher.FollowAsync(target, watcher._stop.Token);
            return watcher;
        }

        /// <summary>When the stream ended (it should not): says why.</summary>
        public async Task ThrowIfEndedAsync()
        {
            if (_following.IsCompleted)
            {
                await _following;
                throw new InvalidOperationException("StreamEvents ended before every MESSAGE_RECEIVED event arrived.");
            }
        }

        private async Task FollowAsync(Target target, CancellationToken stop)
        {
            using var stream = target.Messages.StreamEvents(
                new StreamEventsRequest { Parent = target.Tenant, EventTypes = { EventType.MessageReceived } }, target.Credentials, cancellationToken: stop);
            await foreach (var response in stream.ResponseStream.ReadAllAsync(stop))
            {
                if (TagOf(response.Event) is not { } tag)
                {
                    continue;
                }
                if (_seen.TryAdd(tag, Stopwatch.GetTimestamp()))
                {
                    _createTimes[tag] = response.Event.Message.CreateTime.ToDateTime();
                }
                else
                {
                    Interlocked.Increment(ref _announcedTwice);
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
