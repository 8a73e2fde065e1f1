using System.Globalization;
using Grpc.Net.Client;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;

namespace Wagate.Sandbox.Grpc;

/// <summary>The phones of the sandbox network in another process, reached through the
/// SandboxService it serves (<see cref="SandboxPhonesGrpcService"/>): what a cluster gateway
/// uses. Refusals come back as the <see cref="SandboxException"/>s the network threw; a network
/// that cannot be reached as <see cref="SandboxErrorKind.Unavailable"/>.</summary>
public sealed class GrpcSandboxPhones : ISandboxPhones, IDisposable
{
    private readonly SandboxService.SandboxServiceClient _client;
    private readonly GrpcChannel? _ownedChannel;

    /// <summary>A client on the caller's <paramref name="channel"/>, which the caller keeps and disposes.</summary>
    public GrpcSandboxPhones(GrpcChannel channel) : this(channel, ownedChannel: null)
    {
    }

    private GrpcSandboxPhones(GrpcChannel channel, GrpcChannel? ownedChannel)
    {
        _client = new SandboxService.SandboxServiceClient(channel);
        _ownedChannel = ownedChannel;
    }

    /// <summary>A client with a channel of its own to <paramref name="address"/>, closed with it:
    /// for a container that disposes what it created.</summary>
    public static GrpcSandboxPhones Connect(Uri address)
    {
        var channel = GrpcChannel.ForAddress(address);
        return new GrpcSandboxPhones(channel, channel);
    }

    public Task<SandboxPhone> CreatePhoneAsync(string tenant, string number, CancellationToken cancellationToken = default) =>
        SandboxRpcErrors.CallAsync(async () => (await _client.CreateSandboxPhoneAsync(new CreateSandboxPhoneRequest
        {
            Parent = tenant,
            SandboxPhone = new SandboxPhone { PhoneNumber = number },
        }, cancellationToken: cancellationToken)).SandboxPhone, cancellationToken);

    public Task<string> ScanAsync(string tenant, string code, string number, CancellationToken cancellationToken = default) =>
        SandboxRpcErrors.CallAsync(async () => (await _client.ScanAsync(new ScanRequest
        {
            Tenant = tenant,
            Code = code,
            PhoneNumber = number,
        }, cancellationToken: cancellationToken)).Session, cancellationToken);

    public Task<SandboxMessage> SendFromPhoneAsync(string tenant, string number, string recipient, Content content, CancellationToken cancellationToken = default) =>
        SandboxRpcErrors.CallAsync(async () => (await _client.SendSandboxMessageAsync(
            SandboxMessageRequests.For(SandboxPhoneNames.Format(tenant, number), recipient, content),
            cancellationToken: cancellationToken)).Message, cancellationToken);

    public Task<SandboxMessagePage> ListMessagesAsync(string tenant, string number, int offset, int size, CancellationToken cancellationToken = default) =>
        SandboxRpcErrors.CallAsync(async () =>
        {
            var page = await _client.ListSandboxMessagesAsync(new ListSandboxMessagesRequest
            {
                Parent = SandboxPhoneNames.Format(tenant, number),
                PageSize = size,
                // The sandbox network's page tokens are offsets (SandboxPhonesGrpcService).
                PageToken = offset == 0 ? "" : offset.ToString(CultureInfo.InvariantCulture),
            }, cancellationToken: cancellationToken);
            return new SandboxMessagePage(page.Messages,
                page.NextPageToken.Length == 0 ? null : int.Parse(page.NextPageToken, CultureInfo.InvariantCulture));
        }, cancellationToken);

    public Task<int> MarkReadAsync(string tenant, string number, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) =>
        SandboxRpcErrors.CallAsync(async () => (await _client.MarkSandboxMessagesReadAsync(new MarkSandboxMessagesReadRequest
        {
            Parent = SandboxPhoneNames.Format(tenant, number),
            MessageIds = { ids },
        }, cancellationToken: cancellationToken)).MarkedCount, cancellationToken);

    public Task<int> MarkPlayedAsync(string tenant, string number, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) =>
        SandboxRpcErrors.CallAsync(async () => (await _client.MarkSandboxMessagesPlayedAsync(new MarkSandboxMessagesPlayedRequest
        {
            Parent = SandboxPhoneNames.Format(tenant, number),
            MessageIds = { ids },
        }, cancellationToken: cancellationToken)).PlayedCount, cancellationToken);

    public Task<int> DisconnectDevicesAsync(string tenant, string number, CancellationToken cancellationToken = default) =>
        SandboxRpcErrors.CallAsync(async () => (await _client.DisconnectSandboxDevicesAsync(new DisconnectSandboxDevicesRequest
        {
            Name = SandboxPhoneNames.Format(tenant, number),
        }, cancellationToken: cancellationToken)).DisconnectedCount, cancellationToken);

    public Task<SandboxPhone> SetOnlineAsync(string tenant, string number, bool online, CancellationToken cancellationToken = default) =>
        SandboxRpcErrors.CallAsync(async () => (await _client.SetSandboxPhoneOnlineAsync(new SetSandboxPhoneOnlineRequest
        {
            Name = SandboxPhoneNames.Format(tenant, number),
            Online = online,
        }, cancellationToken: cancellationToken)).SandboxPhone, cancellationToken);

    public void Dispose() => _ownedChannel?.Dispose();
}
