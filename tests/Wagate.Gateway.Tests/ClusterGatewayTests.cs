using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Wagate.Gateway.Tests.Support;
using Wagate.Sandbox;
using Wagate.Sandbox.Hosting;
using Wagate.Testing;
using Wagate.Worker.Hosting;
using Xunit;
using State = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Gateway.Tests;

/// <summary>The cluster end to end, each part its own host on loopback: a gateway on PostgreSQL
/// and etcd, two workers registered in etcd, the sandbox network. A customer links a session over
/// REST; when the worker running it stops, the session comes back connected on the other worker
/// with no scan.</summary>
public sealed class ClusterGatewayTests
{
    private const string Phone = "+15559000000";

    [Fact]
    public async Task A_session_linked_through_the_gateway_survives_its_worker_stopping_without_a_rescan()
    {
        using var data = new TempDirectory();
        var prefix = TestEtcd.NewKeyPrefix();
        var sandboxPort = FreePort.Next();
        var stateKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var sandbox = SandboxHost.Build([$"--WAGATE_SANDBOX_PORT={sandboxPort}", $"--WAGATE_DATA_DIR={data.Path}/sandbox"]);
        await sandbox.StartAsync();
        var workers = new Dictionary<string, WebApplication>();
        foreach (var name in new[] { "a", "b" })
        {
            var app = await WorkerHost.BuildAsync(
            [
                $"--WAGATE_WORKER_NAME={name}", $"--WAGATE_WORKER_PORT={FreePort.Next()}", $"--WAGATE_STATE_KEY={stateKey}",
                $"--WAGATE_SANDBOX_ADDRESS=http://127.0.0.1:{sandboxPort}", $"--WAGATE_DATA_DIR={data.Path}/worker",
                $"--WAGATE_ETCD={TestEtcd.Endpoint}", $"--WAGATE_ETCD_PREFIX={prefix}", "--WAGATE_LEASE_TTL_SECONDS=5",
            ]);
            await app.StartAsync();
            workers[$"workers/{name}"] = app;
        }
        try
        {
            await using var gateway = await TestServer.StartClusterGatewayAsync(await TestPostgres.CreateDatabaseAsync(), TestEtcd.Endpoint, prefix);
            var account = await Account.RegisterAsync(gateway.Api(Protocol.Rest));
            sandbox.Services.GetRequiredService<SandboxNetwork>().CreatePhone(account.TenantName, Phone);
            var driver = new SessionDriver(gateway, account, Protocol.Rest);

            var created = await driver.CreateAsync();
            var showing = await driver.WaitForStateAsync(created.Name, State.ScanQrCode);
            var qr = await driver.GetQrCodeAsync(created.Name);
            sandbox.Services.GetRequiredService<SandboxNetwork>().Scan(account.TenantName, qr.Code, Phone);
            var connected = await driver.WaitForStateAsync(created.Name, State.Connected);
            Assert.Equal(Phone, connected.PhoneNumber);
            Assert.Equal(showing.Worker, connected.Worker);

            await workers[connected.Worker].StopAsync(); // the worker goes: its session moves
            await workers[connected.Worker].DisposeAsync();
            workers.Remove(connected.Worker);

            // Generous: a survivor that had to retry its connection waits out its backoff, and the
            // whole suite runs in parallel on two cores. The last state seen is reported if it
            // never settles.
            Wagate.Contracts.Session.V1.Session? last = null;
            Wagate.Contracts.Session.V1.Session moved;
            try
            {
                moved = await Poll.UntilAsync(async () =>
                {
                    last = await driver.GetAsync(created.Name);
                    return last is { State: State.Connected } s && s.Worker != connected.Worker ? s : null;
                }, TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"The session did not come back connected on another worker; last seen: {last}");
            }
            Assert.Equal(Phone, moved.PhoneNumber);
            Assert.Equal(workers.Keys.Single(), moved.Worker);
        }
        finally
        {
            foreach (var worker in workers.Values)
            {
                await worker.StopAsync();
                await worker.DisposeAsync();
            }
        }
    }
}
