using Wagate.Cluster.Membership;
using Wagate.Core.Workers;

namespace Wagate.Gateway.Sessions;

/// <summary>How the gateway reaches a worker the directory names: over gRPC at the address it
/// registered (<see cref="GrpcWorkerConnections"/>), or, for a worker running in this very process,
/// directly.</summary>
public interface IWorkerConnections
{
    /// <summary>A client for the worker as registered now; cheap to call on every request.</summary>
    IWorkerClient Connect(WorkerRecord worker);
}
