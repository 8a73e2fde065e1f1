using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Wagate.DevCluster.Processes;

/// <summary>The standard gRPC health check, which workers and the sandbox network serve.</summary>
internal static class GrpcHealth
{
    /// <summary>Whether the server at <paramref name="address"/> answers SERVING for the whole server.</summary>
    public static async Task<bool> IsServingAsync(Uri address, CancellationToken cancellationToken)
    {
        // A channel per probe: a channel that failed to connect backs off before trying again,
        // which would only delay noticing the moment the server listens.
        using var channel = GrpcChannel.ForAddress(address);
        var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), cancellationToken: cancellationToken);
        return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving;
    }
}
