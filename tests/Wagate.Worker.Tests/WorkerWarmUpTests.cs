using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Wagate.Cluster;
using Wagate.Core;
using Wagate.Data;
using Wagate.Data.Messages;
using Wagate.Data.Sessions;
using Wagate.Engines.Sandbox;
using Wagate.Sandbox;
using Wagate.Storage;
using Wagate.Testing;
using Wagate.Worker.Messaging;
using Wagate.Worker.Runtime;
using Wagate.Worker.State;
using Xunit;

namespace Wagate.Worker.Tests;

/// <summary>A cluster worker warms up its takeover's database paths before it joins: that must
/// write nothing, on the PostgreSQL a cluster runs on, and leave the worker able to run sessions.</summary>
public sealed class WorkerWarmUpTests : IAsyncDisposable
{
    private const string Tenant = "tenants/tn1";
    private const string Owner = "+15557100000";
    private static readonly SessionKey Session = new("tn1", "warmed");

    private readonly TempDirectory _directory = new();
    private readonly SandboxNetwork _network = new(new SandboxOptions(), TimeProvider.System);
    private readonly List<IAsyncDisposable> _owned = [];

    [Fact]
    public async Task Warming_up_writes_nothing_and_the_worker_then_runs_a_session()
    {
        var database = DatabaseOptions.Postgres(await SessionDatabase.CreatePostgresAsync(Session));
        var contexts = new WagateDbContextFactory(database);
        var store = new DatabaseSessionStateStore(new SessionStateLog(contexts), new LocalDirectoryBlobStore(Path.Combine(_directory.Path, "state")),
            new TenantStateCipher(RandomNumberGenerator.GetBytes(32)), NullLogger<DatabaseSessionStateStore>.Instance);
        var ledger = new WorkerMessageLedger(contexts);
        var worker = new WorkerNode("workers/warm", 10, [new SandboxEngine(_network)], store, new DiscardedStatus(),
            new WorkerMessaging(ledger, new MediaStore(new LocalDirectoryBlobStore(Path.Combine(_directory.Path, "media")), RandomNumberGenerator.GetBytes(32)), SendPacing.None),
            ReconnectBackoff.Default, TimeProvider.System, NullLoggerFactory.Instance);
        _owned.AddRange([worker, store, ledger]);
        _network.CreatePhone(Tenant, Owner);
        var before = await RowsAsync(contexts);

        await worker.WarmUpAsync();

        Assert.Equal(before, await RowsAsync(contexts));
        Assert.Equal(0, worker.SessionCount);
        // And it still runs a real session afterwards (linking waits until it is CONNECTED).
        await SandboxLinking.LinkAsync(worker, _network, Session, Owner);
        Assert.Equal(1, worker.SessionCount);
    }

    /// <summary>How many rows each table a takeover writes holds, and the session rows as they are.</summary>
    private static async Task<string> RowsAsync(WagateDbContextFactory contexts)
    {
        await using var db = contexts.CreateDbContext();
        var sessions = await db.Sessions.AsNoTracking().OrderBy(s => s.Id)
            .Select(s => s.TenantId + "/" + s.Id + ":" + s.OwnerToken + ":" + s.State + ":" + s.StateSnapshotThrough).ToListAsync();
        return string.Join(",", sessions) + $" messages {await db.Messages.CountAsync()} events {await db.Events.CountAsync()} " +
            $"deltas {await db.SessionStateDeltas.CountAsync()}";
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
        _directory.Dispose();
    }
}
