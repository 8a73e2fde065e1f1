using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Wagate.Contracts.Admin.V1;
using Wagate.Core;
using Wagate.Gateway.Tests.Support;
using Wagate.Testing;
using Xunit;
using SessionState = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Gateway.Tests;

/// <summary>The single node is a cluster of one process: its workers hand sessions over as
/// cluster workers do, and the fencing tokens its sessions are claimed with only ever rise, across
/// moves and restarts.</summary>
public sealed class SingleNodeClusterTests
{
    [Fact]
    public async Task Drained_sessions_move_without_a_scan_and_come_back_after_a_restart_under_higher_tokens()
    {
        using var data = new TempDirectory();
        Account account;
        List<(string Name, string Phone)> sessions = [];
        Dictionary<string, long> beforeRestart;
        await using (var first = await TestServer.StartSingleNodeAsync(data.Path, "--WAGATE_WORKERS=2"))
        {
            account = await Account.RegisterAsync(first.Api(Protocol.Grpc));
            var driver = new SessionDriver(first, account, Protocol.Grpc);
            for (var i = 0; i < 4; i++)
            {
                var (session, phone) = await driver.CreateConnectedAsync($"+155574000{i:D2}");
                sessions.Add((session.Name, phone));
            }
            var drained = (await driver.GetAsync(sessions[0].Name)).Worker;
            var beforeDrain = await TokensAsync(first);

            var admin = new AdminService.AdminServiceClient(first.Grpc);
            var asAdmin = new Metadata { { "authorization", "Bearer " + (await Account.AdminAsync(first.Api(Protocol.Grpc))).AccessToken } };
            var moved = (await admin.DrainWorkerAsync(new DrainWorkerRequest { Name = drained }, asAdmin)).MovedSessions;

            Assert.Contains(sessions[0].Name, moved);
            foreach (var (name, phone) in sessions)
            {
                var after = await driver.WaitForStateAsync(name, SessionState.Connected);
                Assert.Equal(phone, after.PhoneNumber);
                Assert.NotEqual(drained, after.Worker);
            }
            // The new owner claimed each moved session under a token above its old owner's.
            beforeRestart = await WaitForTokensAsync(first, tokens => moved.All(name => tokens[name] > beforeDrain[name]));
        }

        await using var second = await TestServer.StartSingleNodeAsync(data.Path, "--WAGATE_WORKERS=2");
        var again = new SessionDriver(second, account, Protocol.Rest);
        foreach (var (name, phone) in sessions)
        {
            Assert.Equal(phone, (await again.WaitForStateAsync(name, SessionState.Connected)).PhoneNumber);
        }
        await WaitForTokensAsync(second, tokens => sessions.All(s => tokens[s.Name] > beforeRestart[s.Name]));
    }

    /// <summary>Session name to the token its owner last claimed it with, as the database records it.</summary>
    private static async Task<Dictionary<string, long>> TokensAsync(TestServer server)
    {
        await using var db = server.OpenDatabase();
        return await db.Sessions.AsNoTracking().ToDictionaryAsync(s => new SessionKey(s.TenantId, s.Id).Name, s => s.OwnerToken);
    }

    private static async Task<Dictionary<string, long>> WaitForTokensAsync(TestServer server, Func<Dictionary<string, long>, bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var tokens = await TokensAsync(server);
            if (condition(tokens))
            {
                return tokens;
            }
            await Task.Delay(50, deadline.Token);
        }
    }
}
