using Wagate.Contracts.Session.V1;
using Wagate.Sandbox;

namespace Wagate.Engines.Sandbox;

/// <summary>The engine for sessions on the sandbox network.</summary>
public sealed class SandboxEngine(ISandboxNetworkClient network) : IEngine
{
    public Engine Kind => Engine.Sandbox;

    public async Task<IEngineConnection> ConnectAsync(EngineStart start, CancellationToken cancellationToken = default) =>
        await SandboxEngineConnection.OpenAsync(network.Connect(), start, cancellationToken);
}
