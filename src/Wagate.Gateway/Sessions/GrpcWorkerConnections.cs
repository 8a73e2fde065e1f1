using System.Collections.Concurrent;
using Grpc.Net.Client;
using Wagate.Cluster.Membership;
using Wagate.Core.Workers;

namespace Wagate.Gateway.Sessions;

/// <summary>Workers in processes of their own, over WorkerService: one channel per worker, replaced
/// when the worker comes back at another address.</summary>
public sealed class GrpcWorkerConnections : IWorkerConnections, IDisposable
{
    private readonly ConcurrentDictionary<string, (string Address, GrpcChannel Channel, GrpcWorkerClient Client)> _clients = new(StringComparer.Ordinal);

    public IWorkerClient Connect(WorkerRecord worker)
    {
        var entry = _clients.AddOrUpdate(worker.Name,
            _ => Open(worker),
            (_, existing) => existing.Address == worker.Address ? existing : Replace(existing, worker));
        return entry.Client;

        static (string, GrpcChannel, GrpcWorkerClient) Open(WorkerRecord worker)
        {
            var channel = GrpcChannel.ForAddress(worker.Address);
            return (worker.Address, channel, new GrpcWorkerClient(worker.Name, channel));
        }

        static (string, GrpcChannel, GrpcWorkerClient) Replace((string Address, GrpcChannel Channel, GrpcWorkerClient Client) old, WorkerRecord worker)
        {
            old.Channel.Dispose();
            return Open(worker);
        }
    }

    public void Dispose()
    {
        foreach (var (_, channel, _) in _clients.Values)
        {
            channel.Dispose();
        }
    }
}
