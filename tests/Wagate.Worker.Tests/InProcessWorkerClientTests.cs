using Wagate.Core.Workers;
using Wagate.Worker.Runtime;

namespace Wagate.Worker.Tests;

/// <summary>The suite on a worker in the caller's process, as on a single node.</summary>
public sealed class InProcessWorkerClientTests : WorkerClientConformanceTests
{
    protected override Task<IWorkerClient> ClientOfAsync(WorkerNode node) => Task.FromResult<IWorkerClient>(node);
}
