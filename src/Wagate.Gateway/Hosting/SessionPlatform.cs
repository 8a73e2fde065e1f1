using Wagate.Cluster;
using Wagate.Core.Workers;
using Wagate.Sandbox;

namespace Wagate.Gateway.Hosting;

/// <summary>What runs sessions for a single node, a cluster of one process: its own
/// <paramref name="coordinator"/> (in memory), the <paramref name="workers"/> of this process, the
/// <paramref name="members"/> that make them cluster members (membership, ownership, the fenced
/// status publisher), and the sandbox network. The gateway then places, routes and administers
/// sessions exactly as on a cluster. <paramref name="ownedAfterWorkers"/> are disposed after the
/// workers have stopped.</summary>
public sealed class SessionPlatform(
    ICoordinator coordinator,
    IReadOnlyList<IWorkerClient> workers,
    IReadOnlyList<IHostedService> members,
    SandboxNetwork sandbox,
    params IAsyncDisposable[] ownedAfterWorkers) : IHostedService, IAsyncDisposable
{
    /// <summary>How long the workers' and the placement controller's leases live: how soon a
    /// worker that stops answering (paused, hung) loses its sessions to the others.</summary>
    public static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(10);

    public ICoordinator Coordinator => coordinator;

    public IReadOnlyList<IWorkerClient> Workers => workers;

    public SandboxNetwork Sandbox => sandbox;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var member in members)
        {
            await member.StartAsync(cancellationToken);
        }
    }

    /// <summary>In reverse: the workers leave (their sessions stop, state flushed) before the
    /// status publisher they report through.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var member in members.Reverse())
        {
            await member.StopAsync(cancellationToken);
        }
    }

    private int _disposed;

    /// <summary>Stops in-process workers; their sessions keep their stored state. Once: the
    /// container disposes the platform for each registration that hands it out.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        foreach (var owned in workers.OfType<IAsyncDisposable>().Concat(ownedAfterWorkers))
        {
            await owned.DisposeAsync();
        }
        foreach (var member in members.OfType<IDisposable>())
        {
            member.Dispose();
        }
    }
}
