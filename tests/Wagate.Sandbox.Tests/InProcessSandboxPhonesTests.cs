namespace Wagate.Sandbox.Tests;

/// <summary>The phone suite on the network object itself, as a single node drives it.</summary>
public sealed class InProcessSandboxPhonesTests : SandboxPhonesConformanceTests
{
    protected override Task<ISandboxPhones> PhonesOfAsync(SandboxNetwork network) =>
        Task.FromResult<ISandboxPhones>(new InProcessSandboxPhones(network));
}
