using Grpc.Core;
using Google.Protobuf;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Gateway.Tests.Support;
using Wagate.Testing;
using Xunit;
using State = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Gateway.Tests;

/// <summary>SandboxService on a cluster gateway: the phones live in the sandbox network process,
/// and a tenant drives them over REST exactly as on a single node, within its own tenant only.</summary>
public sealed class ClusterSandboxTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const string Phone = "+15559100000";

    [Fact]
    public async Task A_tenant_links_a_session_by_scanning_its_QR_code_with_a_sandbox_phone_over_REST()
    {
        var account = await Account.RegisterAsync(cluster.Server.Api(Protocol.Rest));
        var driver = new SessionDriver(cluster.Server, account, Protocol.Rest);

        var phone = await driver.CreatePhoneAsync(Phone);
        var created = await driver.CreateAsync();
        await driver.WaitForStateAsync(created.Name, State.ScanQrCode);
        var qr = await driver.GetQrCodeAsync(created.Name);
        var scanned = await driver.ScanAsync(qr.Code, Phone);
        var connected = await driver.WaitForStateAsync(created.Name, State.Connected);

        Assert.Equal(($"{account.TenantName}/sandboxPhones/15559100000", true), (phone.Name, phone.Online));
        Assert.Equal(created.Name, scanned.Session);
        Assert.Equal(Phone, connected.PhoneNumber);
        // The sandbox network process linked it: its device of that session is connected there.
        var device = Assert.Single(await cluster.SandboxNetwork.ListDevicesAsync(account.TenantName));
        Assert.Equal((created.Name, Phone, true), (device.Session, device.PhoneNumber, device.Connected));
    }

    [Fact]
    public async Task A_tenant_cannot_touch_another_tenants_sandbox_phone_nor_scan_its_QR_code()
    {
        var owner = await Account.RegisterAsync(cluster.Server.Api(Protocol.Rest));
        var ownerDriver = new SessionDriver(cluster.Server, owner, Protocol.Rest);
        var ownersPhone = await ownerDriver.CreatePhoneAsync(Phone);
        var session = await ownerDriver.CreateAsync();
        await ownerDriver.WaitForStateAsync(session.Name, State.ScanQrCode);
        var ownersQr = await ownerDriver.GetQrCodeAsync(session.Name);
        var intruder = await Account.RegisterAsync(cluster.Server.Api(Protocol.Rest));
        await new SessionDriver(cluster.Server, intruder, Protocol.Rest).CreatePhoneAsync(Phone); // the same number, its own

        // Named under the owner's tenant: the gateway refuses before the sandbox network is asked,
        // and answers as if nothing were there, so that probing reveals nothing.
        var calls = new Func<Task>[]
        {
            () => AsIntruderAsync(HttpMethod.Post, $"/v1/{owner.TenantName}/sandboxPhones", new SandboxPhone { PhoneNumber = "+15559100001" }),
            () => AsIntruderAsync(HttpMethod.Post, $"/v1/{ownersPhone.Name}:sendMessage", new SendSandboxMessageRequest { To = Phone, Text = "hi" }),
            () => AsIntruderAsync(HttpMethod.Get, $"/v1/{ownersPhone.Name}/messages", null),
            () => AsIntruderAsync(HttpMethod.Post, $"/v1/{ownersPhone.Name}/messages:markRead", new MarkSandboxMessagesReadRequest()),
            () => AsIntruderAsync(HttpMethod.Post, $"/v1/{ownersPhone.Name}/messages:markPlayed", new MarkSandboxMessagesPlayedRequest()),
            () => AsIntruderAsync(HttpMethod.Post, $"/v1/{ownersPhone.Name}:setOnline", new SetSandboxPhoneOnlineRequest { Online = false }),
            () => AsIntruderAsync(HttpMethod.Post, $"/v1/{ownersPhone.Name}:disconnectDevices", new DisconnectSandboxDevicesRequest()),
        };
        foreach (var call in calls)
        {
            var refused = await Assert.ThrowsAsync<ApiCallException>(call);
            Assert.Equal((StatusCode.NotFound, 404, "NOT_FOUND"), (refused.Code, refused.HttpStatus, refused.Info?.Reason));
        }

        // In its own tenant, with its own phone: the owner's QR code is not showing there.
        var scan = await Assert.ThrowsAsync<ApiCallException>(() => AsIntruderAsync(HttpMethod.Post, $"/v1/{intruder.TenantName}/sandbox:scan",
            new ScanRequest { Code = ownersQr.Code, PhoneNumber = Phone }));
        Assert.Equal((StatusCode.NotFound, 404, "SANDBOX_REFUSED"), (scan.Code, scan.HttpStatus, scan.Info?.Reason));

        Assert.Equal(State.ScanQrCode, (await ownerDriver.GetAsync(session.Name)).State);
        Assert.Empty(await cluster.SandboxNetwork.ListDevicesAsync(owner.TenantName));
        Assert.Empty(await cluster.SandboxNetwork.ListDevicesAsync(intruder.TenantName));

        Task AsIntruderAsync(HttpMethod method, string path, IMessage? body) =>
            RestTransport.SendAsync(cluster.Server.Http, method, path, body, intruder.Key, Google.Protobuf.WellKnownTypes.Empty.Parser);
    }

    [Fact]
    public async Task While_the_sandbox_network_process_is_away_the_gateway_answers_unavailable_with_a_retry_delay()
    {
        var nowhere = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        await using var gateway = await TestServer.StartClusterGatewayAsync(
            await TestPostgres.CreateDatabaseAsync(), TestEtcd.Endpoint, TestEtcd.NewKeyPrefix(), cluster.Media, nowhere);
        var account = await Account.RegisterAsync(gateway.Api(Protocol.Rest));

        var refused = await Assert.ThrowsAsync<ApiCallException>(() => new SessionDriver(gateway, account, Protocol.Rest).CreatePhoneAsync(Phone));

        Assert.Equal((StatusCode.Unavailable, 503, "SANDBOX_UNAVAILABLE"), (refused.Code, refused.HttpStatus, refused.Info?.Reason));
        Assert.NotNull(refused.Detail<Google.Rpc.RetryInfo>());
        Assert.DoesNotContain("127.0.0.1", refused.Status?.Message ?? "");
    }
}
