using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Core;
using Wagate.Data;
using Wagate.Data.Sessions;
using Wagate.Engines;
using Wagate.Gateway.Tests.Support;
using Wagate.Sandbox;
using Wagate.Storage;
using Wagate.Testing;
using Wagate.Worker.Runtime;
using Wagate.Worker.State;
using Xunit;
using State = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Gateway.Tests;

/// <summary>Session state lives in the blob store: a restart brings connected sessions back with
/// no scan (on both adapters), a logout wipes it, and lost writes are detected, not hidden.</summary>
public sealed class SessionPersistenceTests
{
    public static readonly TheoryData<string> BlobStores = new() { "local", "s3" };

    [Theory]
    [MemberData(nameof(BlobStores))]
    public async Task Every_connected_session_comes_back_connected_after_a_restart_without_a_scan(string blobStore)
    {
        using var data = new TempDirectory();
        var settings = await BlobSettingsAsync(blobStore);
        Account account;
        List<string> sessions = [];
        await using (var first = await TestServer.StartSingleNodeAsync(data.Path, settings))
        {
            account = await Account.RegisterAsync(first.Api(Protocol.Grpc));
            var driver = new SessionDriver(first, account, Protocol.Grpc);
            for (var i = 0; i < 3; i++)
            {
                sessions.Add((await driver.CreateConnectedAsync($"+1555300000{i}")).Session.Name);
            }
            // Exchange a message so the stored state has moved on since pairing.
            await driver.SendFromPhoneAsync("+15553000001", "+15553000000", "before the restart");
        }

        await using var second = await TestServer.StartSingleNodeAsync(data.Path, settings);
        var again = new SessionDriver(second, account, Protocol.Rest);

        for (var i = 0; i < 3; i++)
        {
            var session = await again.WaitForStateAsync(sessions[i], State.Connected);
            Assert.Equal($"+1555300000{i}", session.PhoneNumber);
        }
        // Messages still flow and decrypt: the state read back is the latest.
        await again.SendFromPhoneAsync("+15553000001", "+15553000000", "after the restart");
        Assert.Equal(State.Connected, (await again.GetAsync(sessions[0])).State);
    }

    [Fact]
    public async Task Logging_out_wipes_the_stored_state()
    {
        using var data = new TempDirectory();
        await using var server = await TestServer.StartSingleNodeAsync(data.Path);
        var account = await Account.RegisterAsync(server.Api(Protocol.Grpc));
        var driver = new SessionDriver(server, account, Protocol.Grpc);
        var (session, _) = await driver.CreateConnectedAsync("+15553100000");
        var key = KeyOf(session.Name);
        Assert.False((await LoadStateAsync(data.Path, key)).IsEmpty);

        await driver.LogoutAsync(session.Name);

        Assert.True((await LoadStateAsync(data.Path, key)).IsEmpty);
        await using var db = DataServiceCollectionExtensions.CreateContext(DatabaseOptions.SqliteIn(data.Path));
        Assert.False(await db.SessionStateDeltas.AnyAsync(d => d.TenantId == key.TenantId && d.SessionId == key.SessionId));
        var objects = Path.Combine(data.Path, "state", "sessions", key.TenantId, key.SessionId);
        Assert.Empty(Directory.Exists(objects) ? Directory.EnumerateFiles(objects, "*", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task A_second_connection_of_the_same_device_is_reported_and_not_fought()
    {
        using var data = new TempDirectory();
        await using var server = await TestServer.StartSingleNodeAsync(data.Path);
        var account = await Account.RegisterAsync(server.Api(Protocol.Grpc));
        var driver = new SessionDriver(server, account, Protocol.Grpc);
        var (session, _) = await driver.CreateConnectedAsync("+15553200000");
        var key = KeyOf(session.Name);

        await using var intruder = await ConnectIntruderAsync(server, data.Path, key);

        var replaced = await driver.WaitForStateAsync(session.Name, State.Disconnected);
        Assert.Equal("REPLACED", replaced.LastError.Reason);
        Assert.Equal(440, replaced.LastError.Code);
        // The session gave up: its runtime has ended, so it can never take the device back,
        // and the intruder's connection is still the live one.
        var workers = ((Wagate.Gateway.Hosting.SessionPlatform)server.Services.GetService(typeof(Wagate.Gateway.Hosting.SessionPlatform))!).Workers;
        Assert.True((await workers.Single(w => w.Name == replaced.Worker).GetSnapshotAsync(key))!.IsTerminal);
        Assert.Equal(ConnectResponse.FrameOneofCase.Open, (await intruder.Responses.ReadAsync()).FrameCase);
        Assert.False(intruder.Responses.TryRead(out _));
    }

    [Fact]
    public async Task A_session_deleted_while_it_waits_for_a_restart_is_wiped_and_asks_for_a_QR_code_when_created_again()
    {
        using var data = new TempDirectory();
        Account account;
        string name;
        await using (var first = await TestServer.StartSingleNodeAsync(data.Path))
        {
            account = await Account.RegisterAsync(first.Api(Protocol.Grpc));
            var driver = new SessionDriver(first, account, Protocol.Grpc);
            name = (await driver.CreateConnectedAsync("+15553500000")).Session.Name;
            await using var intruder = await ConnectIntruderAsync(first, data.Path, KeyOf(name));
            await driver.WaitForStateAsync(name, State.Disconnected);
        }
        // Started again, the node runs the replaced session nowhere: it waits for a restart.
        await using var second = await TestServer.StartSingleNodeAsync(data.Path);
        var again = new SessionDriver(second, account, Protocol.Grpc);
        Assert.Equal(State.Disconnected, (await again.GetAsync(name)).State);

        await again.DeleteAsync(name);

        Assert.True((await LoadStateAsync(data.Path, KeyOf(name))).IsEmpty);
        var recreated = await again.CreateAsync(sessionId: KeyOf(name).SessionId);
        await again.WaitForStateAsync(recreated.Name, State.ScanQrCode);
    }

    [Fact]
    public async Task A_session_logged_out_while_it_runs_nowhere_is_wiped_fails_its_queue_and_records_the_logout()
    {
        using var data = new TempDirectory();
        Account account;
        string name;
        Message queued;
        // Ten minutes between two sends of a session: the second message waits in the queue.
        await using (var first = await TestServer.StartSingleNodeAsync(data.Path, "--WAGATE_SEND_MIN_GAP_MS=600000"))
        {
            account = await Account.RegisterAsync(first.Api(Protocol.Grpc));
            var driver = new SessionDriver(first, account, Protocol.Grpc);
            name = (await driver.CreateConnectedAsync("+15553600000")).Session.Name;
            await driver.CreatePhoneAsync("+15553600001");
            var sender = new MessageService.MessageServiceClient(first.Grpc);
            var sent = await SendAsync("the first goes at once");
            queued = await SendAsync("the second waits its turn");
            await WaitUntilAsync(async () => (await sender.GetMessageAsync(new GetMessageRequest { Name = sent.Name }, driver.Headers)).Message.State
                is Message.Types.State.Sent or Message.Types.State.Delivered);
            await using var intruder = await ConnectIntruderAsync(first, data.Path, KeyOf(name));
            await driver.WaitForStateAsync(name, State.Disconnected);
            Assert.Equal(Message.Types.State.Queued, (await sender.GetMessageAsync(new GetMessageRequest { Name = queued.Name }, driver.Headers)).Message.State);

            async Task<Message> SendAsync(string text) => (await sender.SendMessageAsync(new SendMessageRequest
            {
                Parent = name, To = "+15553600001", Text = new TextContent { Body = text },
            }, driver.Headers)).Message;
        }
        await using var second = await TestServer.StartSingleNodeAsync(data.Path);
        var again = new SessionDriver(second, account, Protocol.Rest);
        var messages = new MessageService.MessageServiceClient(second.Grpc);
        Assert.Equal(State.Disconnected, (await again.GetAsync(name)).State);

        var loggedOut = await again.LogoutAsync(name);

        Assert.Equal((State.LoggedOut, "LOGGED_OUT", ""), (loggedOut.State, loggedOut.LastError.Reason, loggedOut.PhoneNumber));
        Assert.Equal(State.LoggedOut, (await again.GetAsync(name)).State);
        Assert.True((await LoadStateAsync(data.Path, KeyOf(name))).IsEmpty);
        var failed = (await messages.GetMessageAsync(new GetMessageRequest { Name = queued.Name }, again.Headers)).Message;
        Assert.Equal((Message.Types.State.Failed, "SESSION_LOGGED_OUT"), (failed.State, failed.FailureReason));
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var events = messages.StreamEvents(new StreamEventsRequest
        {
            Parent = account.TenantName, EventTypes = { EventType.SessionStateChanged },
        }, again.Headers, cancellationToken: guard.Token);
        while (await events.ResponseStream.MoveNext(guard.Token) && events.ResponseStream.Current.Event.SessionState.State != State.LoggedOut)
        {
        }
        Assert.Equal(name, events.ResponseStream.Current.Event.Session);
        await again.RestartAsync(name);
        await again.WaitForStateAsync(name, State.ScanQrCode);
    }

    [Fact]
    public async Task Lost_state_writes_surface_as_a_failed_session_not_silence()
    {
        using var data = new TempDirectory();
        var database = DatabaseOptions.SqliteIn(data.Path);
        Account account;
        string name;
        long storedBefore;
        await using (var first = await TestServer.StartSingleNodeAsync(data.Path))
        {
            account = await Account.RegisterAsync(first.Api(Protocol.Grpc));
            var driver = new SessionDriver(first, account, Protocol.Grpc);
            name = (await driver.CreateConnectedAsync("+15553300000")).Session.Name;
            await driver.CreatePhoneAsync("+15553300001");
            storedBefore = await LastStateDeltaAsync(database);
            var sent = (await driver.SendFromPhoneAsync("+15553300001", "+15553300000", "moves the state on")).Message;
            // DELIVERED: the session stored the new state and acknowledged the message, so the
            // network's saved view of the device has moved on too (the store alone is not enough:
            // a stop between the store's write and the acknowledgement leaves both behind).
            await WaitUntilAsync(async () => (await driver.ListPhoneMessagesAsync("+15553300001")).Single(m => m.Id == sent.Id).Status == SandboxMessage.Types.Status.Delivered);
            Assert.True(BitConverter.ToInt64((await LoadStateAsync(data.Path, KeyOf(name))).Get("sandbox/counter")!) > 1);
        }
        // The state written for that message is lost: the store goes back to before it.
        await using (var db = DataServiceCollectionExtensions.CreateContext(database))
        {
            Assert.True(await db.SessionStateDeltas.Where(d => d.Id > storedBefore).ExecuteDeleteAsync() > 0);
        }

        await using var second = await TestServer.StartSingleNodeAsync(data.Path);
        var again = new SessionDriver(second, account, Protocol.Rest);
        await again.WaitForStateAsync(name, State.Connected);
        await again.SendFromPhoneAsync("+15553300001", "+15553300000", "can you still read me?");

        var failed = await again.WaitForStateAsync(name, State.Failed);
        Assert.Equal("STATE_CORRUPTED", failed.LastError.Reason);
    }

    private static async Task<long> LastStateDeltaAsync(DatabaseOptions database)
    {
        await using var db = DataServiceCollectionExtensions.CreateContext(database);
        return await db.SessionStateDeltas.MaxAsync(d => (long?)d.Id) ?? 0;
    }

    private static async Task<string[]> BlobSettingsAsync(string blobStore)
    {
        if (blobStore == "local")
        {
            return [];
        }
        var bucket = await TestS3.CreateBucketAsync();
        return
        [
            "--WAGATE_BLOB_STORE=s3", $"--WAGATE_S3_ENDPOINT={TestS3.Endpoint}", $"--WAGATE_S3_BUCKET={bucket}",
            $"--WAGATE_S3_ACCESS_KEY={TestS3.AccessKey}", $"--WAGATE_S3_SECRET_KEY={TestS3.SecretKey}",
        ];
    }

    private static SessionKey KeyOf(string name)
    {
        var parts = name.Split('/');
        return new SessionKey(parts[1], parts[3]);
    }

    /// <summary>Another client with the session's stored credentials, as a second gateway
    /// installation would be: WhatsApp replaces the session's connection with it.</summary>
    private static async Task<ISandboxConnection> ConnectIntruderAsync(TestServer server, string dataDirectory, SessionKey key)
    {
        var state = await LoadStateAsync(dataDirectory, key);
        var credentials = DeviceCredentials.Parser.ParseFrom(state.Get("sandbox/credentials"));
        var counter = BitConverter.ToInt64(state.Get("sandbox/counter"));
        var intruder = ((SandboxNetwork)server.Services.GetService(typeof(SandboxNetwork))!).Connect();
        await intruder.SendAsync(new ConnectRequest
        {
            Hello = new Hello { Tenant = key.TenantName, Session = key.Name, Credentials = credentials, StateCounter = counter },
        });
        return intruder;
    }

    /// <summary>The session's stored state, read by a store as the single node opens it, with its own key file.</summary>
    private static async Task<SessionState> LoadStateAsync(string dataDirectory, SessionKey key)
    {
        await using var store = new DatabaseSessionStateStore(new SessionStateLog(new WagateDbContextFactory(DatabaseOptions.SqliteIn(dataDirectory))),
            BlobsOf(dataDirectory), CipherOf(dataDirectory), NullLogger<DatabaseSessionStateStore>.Instance);
        return await store.LoadAsync(key);
    }

    private static LocalDirectoryBlobStore BlobsOf(string dataDirectory) => new(Path.Combine(dataDirectory, "state"));

    private static TenantStateCipher CipherOf(string dataDirectory) =>
        new(Convert.FromBase64String(File.ReadAllText(Path.Combine(dataDirectory, "state.key"))));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            await Task.Delay(50, guard.Token);
        }
    }
}
