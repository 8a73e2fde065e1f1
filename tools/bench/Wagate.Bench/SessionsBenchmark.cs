using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Wagate.Cluster;
using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Core.Workers;
using Wagate.Data;
using Wagate.Data.Entities;
using Wagate.Data.Messages;
using Wagate.Data.Sessions;
using Wagate.Engines.Sandbox;
using Wagate.Sandbox;
using Wagate.Storage;
using Wagate.Worker.Messaging;
using Wagate.Worker.Runtime;
using Wagate.Worker.State;

namespace Wagate.Bench;

/// <summary>Creates and connects N sandbox sessions on one worker (QR shown, scanned by a
/// simulated phone, paired, reconnected, open) with state in a local blob store, and reports
/// the time until all are connected and the memory each costs. Several runs, each in a fresh
/// worker; the table shows every run and the median.</summary>
internal static class SessionsBenchmark
{
    private const string Tenant = "bench";

    public static async Task<int> RunAsync(string[] args)
    {
        var sessions = Table.Option(args, "--sessions", 1000);
        var runs = Table.Option(args, "--runs", 3);
        Console.WriteLine($"Connect {sessions} sandbox sessions on one worker; {runs} runs; {Environment.ProcessorCount} cores.");
        Console.WriteLine();

        // A small warm-up run first, so JIT compilation and pool growth are not charged to run 1.
        await RunOnceAsync(Math.Min(sessions, 100));
        var results = new List<Result>();
        for (var run = 1; run <= runs; run++)
        {
            results.Add(await RunOnceAsync(sessions));
        }

        var rows = results.Select((r, i) => Row($"run {i + 1}", r)).ToList();
        rows.Add(Row("median", new Result(
            TimeSpan.FromMilliseconds(Table.Median(results.Select(r => r.Elapsed.TotalMilliseconds))),
            Table.Median(results.Select(r => r.ManagedBytesPerSession)),
            Table.Median(results.Select(r => r.WorkingSetBytesPerSession)))));
        Table.Print(["", "all connected (s)", "sessions/s", "managed KiB/session", "working set KiB/session"], rows);
        return 0;

        string[] Row(string label, Result r) =>
        [
            label,
            Table.Number(r.Elapsed.TotalSeconds, "0.00"),
            Table.Number(sessions / r.Elapsed.TotalSeconds, "0"),
            Table.Number(r.ManagedBytesPerSession / 1024),
            Table.Number(r.WorkingSetBytesPerSession / 1024),
        ];
    }

    private sealed record Result(TimeSpan Elapsed, double ManagedBytesPerSession, double WorkingSetBytesPerSession);

    private static async Task<Result> RunOnceAsync(int count)
    {
        var directory = Path.Combine(Path.GetTempPath(), "wagate-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var network = new SandboxNetwork(new SandboxOptions(), TimeProvider.System);
        var progress = new Progress(network);
        var blobs = new LocalDirectoryBlobStore(directory);
        var cipher = new TenantStateCipher(new byte[32]);
        var keys = Enumerable.Range(0, count).Select(i => new SessionKey(Tenant, $"s{i:D6}")).ToList();
        // As every worker has: the message ledger and the session state on the database, where
        // each session claims its row before it runs (a single node's SQLite file here).
        var database = DatabaseOptions.SqliteIn(directory);
        await SeedAsync(database, keys);
        var contexts = new WagateDbContextFactory(database);
        var store = new DatabaseSessionStateStore(new SessionStateLog(contexts), blobs, cipher, NullLogger<DatabaseSessionStateStore>.Instance);
        var messaging = new WorkerMessaging(new WorkerMessageLedger(contexts), new MediaStore(blobs, new byte[32]), SendPacing.None);
        var worker = new WorkerNode("workers/bench", count, [new SandboxEngine(network)], store, progress, messaging,
            ReconnectBackoff.Default, TimeProvider.System, NullLoggerFactory.Instance);
        foreach (var (key, i) in keys.Select((k, i) => (k, i)))
        {
            network.CreatePhone(key.TenantName, PhoneOf(i));
        }

        var (managedBefore, workingSetBefore) = Memory();
        var clock = Stopwatch.StartNew();
        foreach (var key in keys)
        {
            await worker.StartSessionAsync(key, Engine.Sandbox, fencingToken: 1);
        }
        await progress.AllConnected(count).WaitAsync(TimeSpan.FromMinutes(10));
        var elapsed = clock.Elapsed;
        var (managedAfter, workingSetAfter) = Memory();

        await worker.DisposeAsync();
        await store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        return new Result(elapsed, (managedAfter - managedBefore) / (double)count, (workingSetAfter - workingSetBefore) / (double)count);
    }

    private static async Task SeedAsync(DatabaseOptions database, IReadOnlyList<SessionKey> keys)
    {
        await using var db = DataServiceCollectionExtensions.CreateContext(database);
        await db.MigrateAsync();
        var now = DateTime.UtcNow;
        db.Tenants.Add(new TenantRecord { Id = Tenant, DisplayName = Tenant, CreateTime = now, UpdateTime = now });
        db.Sessions.AddRange(keys.Select(key => new SessionRecord { TenantId = key.TenantId, Id = key.SessionId, DisplayName = key.SessionId, CreateTime = now, UpdateTime = now }));
        await db.SaveChangesAsync();
    }

    private static (long Managed, long WorkingSet) Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64);
    }

    private static string PhoneOf(int index) => $"+1555{index:D7}";

    /// <summary>Plays the phones: scans each session's first QR code as it appears, and counts
    /// sessions that reach CONNECTED.</summary>
    private sealed class Progress(SandboxNetwork network) : ISessionStatusSink
    {
        private readonly ConcurrentDictionary<SessionKey, bool> _scanned = new();
        private readonly ConcurrentDictionary<SessionKey, bool> _connected = new();
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _target = int.MaxValue;

        public Task AllConnected(int count)
        {
            Volatile.Write(ref _target, count);
            if (_connected.Count >= count)
            {
                _done.TrySetResult();
            }
            return _done.Task;
        }

        public void Report(string worker, SessionKey session, long fencingToken, SessionSnapshot snapshot)
        {
            if (snapshot.QrCode is { } qr && _scanned.TryAdd(session, true))
            {
                var index = int.Parse(session.SessionId.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
                // Off the worker's thread, as a person scanning a screen would be.
                _ = Task.Run(() => network.Scan(session.TenantName, qr.Code, PhoneOf(index)));
            }
            if (snapshot.State == Session.Types.State.Connected && _connected.TryAdd(session, true)
                && _connected.Count >= Volatile.Read(ref _target))
            {
                _done.TrySetResult();
            }
        }
    }
}
