using Wagate.Core.Workers;
using Wagate.Testing;
using Wagate.Worker.Grpc;
using Wagate.Worker.Runtime;
using Xunit;

namespace Wagate.Worker.Tests;

/// <summary>The suite on a worker served by WorkerService on a loopback port, as a gateway of
/// a cluster reaches its workers.</summary>
public sealed class GrpcWorkerClientTests : WorkerClientConformanceTests
{
    private LoopbackGrpcServer? _server;
    private GrpcWorkerClient? _client;

    protected override async Task<IWorkerClient> ClientOfAsync(WorkerNode node)
    {
        _server = await LoopbackGrpcServer.StartAsync(new WorkerGrpcService(node));
        _client = new GrpcWorkerClient(node.Name, _server.Channel);
        return _client;
    }

    protected override Task RefreshLoadAsync() => _client!.RefreshAsync();

    public override async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Refreshing_refuses_another_worker_answering_at_the_address()
    {
        var misdirected = new GrpcWorkerClient("workers/someone-else", _server!.Channel);

        await Assert.ThrowsAsync<InvalidOperationException>(() => misdirected.RefreshAsync());
    }
}
