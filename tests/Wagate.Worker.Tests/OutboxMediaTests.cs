using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Wagate.Cluster;
using Wagate.Contracts.Message.V1;
using Wagate.Core;
using Wagate.Data;
using Wagate.Data.Messages;
using Wagate.Engines.Sandbox;
using Wagate.Sandbox;
using Wagate.Storage;
using Wagate.Testing;
using Wagate.Worker.Messaging;
using Wagate.Worker.Runtime;
using Wagate.Worker.State;
using Xunit;
using MessageState = Wagate.Contracts.Message.V1.Message.Types.State;

namespace Wagate.Worker.Tests;

/// <summary>A session's outbox on its worker takes inline media back from the media store, and
/// deletes it once sent; a store that cannot be read for a while delays the outbox, in order,
/// and loses nothing.</summary>
public sealed class OutboxMediaTests : IAsyncLifetime
{
    private const string Tenant = "tenants/tn1";
    private const string Owner = "+15556100000";
    private const string Friend = "+15556100001";
    private static readonly SessionKey Session = new("tn1", "outbox");

    private readonly TempDirectory _directory = new();
    private readonly SandboxNetwork _network = new(new SandboxOptions(), TimeProvider.System);
    private readonly FaultyBlobStore _mediaBlobs;
    private readonly MediaStore _media;
    private DatabaseOptions _database = null!;
    private WorkerNode _worker = null!;
    private DatabaseSessionStateStore _store = null!;

    public OutboxMediaTests()
    {
        _network.CreatePhone(Tenant, Owner);
        _network.CreatePhone(Tenant, Friend);
        _mediaBlobs = new FaultyBlobStore(new LocalDirectoryBlobStore(Path.Combine(_directory.Path, "media")));
        _media = new MediaStore(_mediaBlobs, RandomNumberGenerator.GetBytes(32));
    }

    public async Task InitializeAsync()
    {
        _database = await SessionDatabase.CreateSqliteAsync(_directory.Path, Session);
        _store = SessionDatabase.SqliteStateStore(_directory.Path, new LocalDirectoryBlobStore(Path.Combine(_directory.Path, "state")),
            new TenantStateCipher(RandomNumberGenerator.GetBytes(32)));
        _worker = new WorkerNode("workers/outbox", 10, [new SandboxEngine(_network)], _store, new DiscardedStatus(),
            new WorkerMessaging(new WorkerMessageLedger(new WagateDbContextFactory(_database)), _media, SendPacing.None),
            ReconnectBackoff.Default, TimeProvider.System, NullLoggerFactory.Instance);
        await SandboxLinking.LinkAsync(_worker, _network, Session, Owner);
    }

    [Fact]
    public async Task Media_the_store_cannot_read_for_a_while_is_sent_once_it_can_with_the_messages_behind_it_in_order()
    {
        var picture = RandomNumberGenerator.GetBytes(20_000);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(picture));
        var mediaId = RecordIds.NewMessageId();
        await _media.PutAsync(Session.TenantId, mediaId, picture);
        _mediaBlobs.FailReads = true;
        var media = await AcceptAsync(new Content { Image = new MediaContent { SizeBytes = picture.Length, Sha256 = sha256, Caption = "Plan" } }, mediaId);
        var text = await AcceptAsync(new Content { Text = new TextContent { Body = "See the plan above" } });
        await _worker.DispatchMessagesAsync(Session);

        await Poll.UntilAsync(() => _mediaBlobs.FailedReads > 0);
        Assert.Equal([MessageState.Queued, MessageState.Queued], [(await GetAsync(media)).State, (await GetAsync(text)).State]);
        Assert.Empty(_network.ListMessages(Tenant, Friend, 0, 10).Messages);

        _mediaBlobs.FailReads = false; // the store is back: the next reading of the outbox sends both

        await Poll.UntilAsync(async () => await GetAsync(text) is { State: MessageState.Delivered } delivered ? delivered : null, TimeSpan.FromSeconds(30));
        Assert.Equal(MessageState.Delivered, (await GetAsync(media)).State);
        var received = _network.ListMessages(Tenant, Friend, 0, 10).Messages;
        Assert.Equal([Id(media), Id(text)], received.Select(m => m.Id));
        Assert.Equal((sha256, (long)picture.Length), (received[0].Content.Image.Sha256, received[0].Content.Image.SizeBytes));
        Assert.Null(await _media.GetAsync(Session.TenantId, mediaId)); // WhatsApp has it: the copy is gone
    }

    private async Task<Message> AcceptAsync(Content content, string? messageId = null)
    {
        await using var db = DataServiceCollectionExtensions.CreateContext(_database);
        return (await new GatewayMessageStore(db).AcceptAsync(Session.TenantId, Session.SessionId, null, Friend, content, DateTime.UtcNow, messageId: messageId)).Message;
    }

    private async Task<Message> GetAsync(Message message)
    {
        await using var db = DataServiceCollectionExtensions.CreateContext(_database);
        return (await new GatewayMessageStore(db).GetAsync(Session.TenantId, Session.SessionId, Id(message)))!;
    }

    private static string Id(Message message) => message.Name[(message.Name.LastIndexOf('/') + 1)..];

    public async Task DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _store.DisposeAsync();
        _directory.Dispose();
    }
}
