using Wagate.Core;
using Wagate.Core.Workers;
using Wagate.Sandbox;

namespace Wagate.Gateway.Hosting;

/// <summary>What runs sessions for this gateway: the workers it routes to and, when the
/// sandbox network lives in this process, the network itself (for SandboxService).
/// <paramref name="ownedAfterWorkers"/> are disposed after the workers have stopped.</summary>
public sealed class SessionPlatform(
    IReadOnlyList<IWorkerClient> workers, SandboxNetwork? sandbox, params IAsyncDisposable[] ownedAfterWorkers) : IAsyncDisposable
{
    public IReadOnlyList<IWorkerClient> Workers => workers;

    public SandboxNetwork? Sandbox => sandbox;

    /// <summary>Stops in-process workers; their sessions keep their stored state.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var owned in workers.OfType<IAsyncDisposable>().Concat(ownedAfterWorkers))
        {
            await owned.DisposeAsync();
        }
    }
}
