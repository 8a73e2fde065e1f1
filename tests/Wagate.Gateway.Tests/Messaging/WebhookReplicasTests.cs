using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Webhook.V1;
using Wagate.Data.Events;
using Wagate.Gateway.Tests.Support;
using Wagate.Testing;
using Xunit;

namespace Wagate.Gateway.Tests.Messaging;

/// <summary>Two gateway replicas on one PostgreSQL both deliver webhooks; each delivery is
/// claimed by one of them, so the receiver gets every event once.</summary>
public sealed class WebhookReplicasTests : IAsyncLifetime
{
    private const int Events = 40;
    private readonly ConcurrentDictionary<string, int> _received = new();
    private readonly TempDirectory _workers = new();
    private WebApplication _receiver = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        _receiver = builder.Build();
        _receiver.MapPost("/hook", async context =>
        {
            await Task.Delay(20); // a receiver that takes a moment: the replicas' claims overlap in time
            _received.AddOrUpdate(context.Request.Headers["Wagate-Event-Id"].ToString(), 1, (_, count) => count + 1);
        });
        await _receiver.StartAsync();
    }

    [Fact]
    public async Task Every_event_reaches_the_receiver_once_when_two_replicas_deliver()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var prefix = TestEtcd.NewKeyPrefix();
        var media = TestServer.WorkersMedia(_workers.Path, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        await using var first = await TestServer.StartClusterGatewayAsync(database, TestEtcd.Endpoint, prefix, media);
        await using var second = await TestServer.StartClusterGatewayAsync(database, TestEtcd.Endpoint, prefix, media);
        var account = await Account.RegisterAsync(first.Api(Protocol.Grpc));
        var headers = new Grpc.Core.Metadata { { "x-api-key", account.Registration.ApiKey.Key } };
        await new WebhookService.WebhookServiceClient(second.Grpc).CreateWebhookAsync(new CreateWebhookRequest
        {
            Parent = account.TenantName, Webhook = new Webhook { Url = $"http://127.0.0.1:{_port}/hook" },
        }, headers);

        var tenantId = account.TenantName["tenants/".Length..];
        for (var i = 0; i < Events; i++)
        {
            await using var db = first.OpenDatabase();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await new EventLog(db).AppendAsync(tenantId, "s1", new Event
            {
                Type = EventType.SessionQrCode,
                Time = Timestamp.FromDateTime(DateTime.UtcNow),
                QrCode = new QrCodeShown { Code = $"qr-{i}", ExpireTime = Timestamp.FromDateTime(DateTime.UtcNow.AddMinutes(1)) },
            });
            await transaction.CommitAsync();
        }

        await Poll.UntilAsync(() => Task.FromResult(_received.Count == Events ? "all" : null), TimeSpan.FromSeconds(45));
        await Task.Delay(TimeSpan.FromSeconds(1)); // a second delivery of any of them would have arrived by now
        Assert.All(_received, pair => Assert.Equal(1, pair.Value));
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _workers.Dispose();
    }
}
