using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wagate.Cluster;
using Wagate.Core;
using Wagate.Testing;
using Wagate.Worker.Clustering;
using Wagate.Worker.Runtime;
using Xunit;
using SessionState = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Worker.Tests;

/// <summary>Statuses reach etcd only from the session's current owner: a worker that lost the
/// session (paused past its lease, say) reports into the void, however late its report comes.</summary>
public sealed class CoordinatorStatusPublisherTests : IAsyncLifetime
{
    private static readonly SessionKey Session = new("tn1", "status");

    private readonly EtcdCoordinator _coordinator = new(new EtcdCoordinatorOptions { Endpoint = TestEtcd.Endpoint, KeyPrefix = TestEtcd.NewKeyPrefix() });
    private readonly List<ILease> _leases = [];
    private CoordinatorStatusPublisher _publisher = null!;

    public async Task InitializeAsync()
    {
        _publisher = new CoordinatorStatusPublisher(_coordinator, new DiscardedStatus(), NullLogger<CoordinatorStatusPublisher>.Instance);
        await _publisher.StartAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_owner_publishes_its_latest_status()
    {
        var token = await ClaimAsync("workers/a");

        _publisher.Report("workers/a", Session, token, Snapshot(SessionState.ScanQrCode));
        _publisher.Report("workers/a", Session, token, Snapshot(SessionState.Connected, "+15550001111"));

        var published = await Poll.UntilAsync(async () => await StatusAsync() is { State: (int)SessionState.Connected } s ? s : null);
        Assert.Equal("workers/a", published.Worker);
        Assert.Equal("+15550001111", published.PhoneNumber);
    }

    [Fact]
    public async Task A_worker_that_lost_the_session_publishes_nothing_that_counts()
    {
        var oldToken = await ClaimAsync("workers/a");
        _publisher.Report("workers/a", Session, oldToken, Snapshot(SessionState.Connected));
        await Poll.UntilAsync(async () => await StatusAsync() is { Worker: "workers/a" } s ? s : null);

        // a's lease ran out; b took the session and said so.
        await _coordinator.DeleteAsync(ClusterKeys.Owner(Session));
        var newToken = await ClaimAsync("workers/b");
        _publisher.Report("workers/b", Session, newToken, Snapshot(SessionState.Connected));
        await Poll.UntilAsync(async () => await StatusAsync() is { Worker: "workers/b" } s ? s : null);

        // a wakes up and reports what it sees, through its own publisher.
        var refusals = new RefusalLog();
        var publisherOfA = new CoordinatorStatusPublisher(_coordinator, new DiscardedStatus(), refusals);
        await publisherOfA.StartAsync(CancellationToken.None);
        try
        {
            publisherOfA.Report("workers/a", Session, oldToken, Snapshot(SessionState.Disconnected));
            await Poll.UntilAsync(() => Task.FromResult(refusals.Count > 0 ? "refused" : null));
        }
        finally
        {
            await publisherOfA.StopAsync(CancellationToken.None);
            publisherOfA.Dispose();
        }

        var last = await StatusAsync();
        Assert.Equal("workers/b", last?.Worker);
        Assert.Equal((int)SessionState.Connected, last?.State);
    }

    /// <summary>Counts the publisher's notes of reports the fencing comparison refused.</summary>
    private sealed class RefusalLog : ILogger<CoordinatorStatusPublisher>
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (formatter(state, exception).Contains("was not published", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }
        }
    }

    /// <summary>Takes the owner key as a worker does, under a lease of its own.</summary>
    private async Task<long> ClaimAsync(string worker)
    {
        var lease = await _coordinator.GrantLeaseAsync(TimeSpan.FromSeconds(30));
        _leases.Add(lease);
        return await _coordinator.TryCreateAsync(ClusterKeys.Owner(Session), Encoding.UTF8.GetBytes(worker), lease.Id)
            ?? throw new InvalidOperationException("The session is owned already.");
    }

    private async Task<SessionStatusRecord?> StatusAsync() =>
        await _coordinator.GetAsync(ClusterKeys.Status(Session)) is { } stored ? SessionStatusRecord.FromBytes(stored.Value) : null;

    private static SessionSnapshot Snapshot(SessionState state, string phone = "") => new(state, phone, null, DateTimeOffset.UtcNow, null);

    public async Task DisposeAsync()
    {
        await _publisher.StopAsync(CancellationToken.None);
        _publisher.Dispose();
        foreach (var lease in _leases)
        {
            await lease.DisposeAsync();
        }
        _coordinator.Dispose();
    }
}
