using Grpc.Core;
using Grpc.Net.Client;
using Wagate.Contracts.Admin.V1;
using Wagate.Contracts.Identity.V1;
using Wagate.DevCluster.Processes;

namespace Wagate.DevCluster.Tests;

/// <summary>AdminService on a gateway of the cluster, signed in as the platform administrator.</summary>
internal sealed class ClusterAdmin : IDisposable
{
    private readonly GrpcChannel _channel;

    private ClusterAdmin(GrpcChannel channel, string token)
    {
        _channel = channel;
        Client = new AdminService.AdminServiceClient(channel);
        Headers = new Metadata { { "authorization", "Bearer " + token } };
    }

    public AdminService.AdminServiceClient Client { get; }

    public Metadata Headers { get; }

    public static async Task<ClusterAdmin> SignInAsync(LocalCluster cluster, GatewayProcess gateway)
    {
        var channel = GrpcChannel.ForAddress(gateway.GrpcAddress);
        var login = await new IdentityService.IdentityServiceClient(channel).LoginAsync(
            new LoginRequest { Email = cluster.Options.AdminEmail, Password = cluster.Options.AdminPassword });
        return new ClusterAdmin(channel, login.AccessToken);
    }

    public void Dispose() => _channel.Dispose();
}
