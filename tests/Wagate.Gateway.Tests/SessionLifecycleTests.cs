using Grpc.Core;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Core.Workers;
using Wagate.Data.Entities;
using Wagate.Gateway.Tenancy;
using Wagate.Gateway.Tests.Support;
using Xunit;
using State = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Gateway.Tests;

/// <summary>A session's life: created, linked by QR or pairing code, watched, logged out,
/// restarted, deleted; with bad input refused. The same tests run on the single node and on a
/// cluster, each with a sandbox that rotates QR codes every half second, three per attempt.</summary>
public abstract class SessionLifecycleTests(IServerFixture fixture)
{
    /// <summary>Short-lived QR codes, and a first one that comes 300 ms after the connection
    /// opens, as WhatsApp's does a moment after the handshake.</summary>
    public static readonly string[] FastQrCodes =
        ["--WAGATE_SANDBOX_FIRST_QR_SECONDS=1", "--WAGATE_SANDBOX_NEXT_QR_SECONDS=0.5", "--WAGATE_SANDBOX_QR_COUNT=3", "--WAGATE_SANDBOX_FIRST_QR_DELAY_MS=300"];

    private static int _phones;

    private static string NewPhone() => $"+1555200{Interlocked.Increment(ref _phones):D4}";

    private async Task<SessionDriver> DriverAsync(Protocol protocol) =>
        new(fixture.Server, await Account.RegisterAsync(fixture.Server.Api(Protocol.Grpc)), protocol);

    [Theory]
    [InlineData(Protocol.Grpc)]
    [InlineData(Protocol.Rest)]
    public async Task The_QR_code_asked_for_right_after_creating_the_session_is_answered_once_it_shows(Protocol protocol)
    {
        var driver = await DriverAsync(protocol);

        var created = await driver.CreateAsync();
        var qr = await driver.GetQrCodeAsync(created.Name);

        Assert.StartsWith("2@", qr.Code);
        // The published state follows the worker's own a moment later.
        await driver.WaitForStateAsync(created.Name, State.ScanQrCode);
    }

    [Theory]
    [InlineData(Protocol.Grpc)]
    [InlineData(Protocol.Rest)]
    public async Task A_session_is_created_shows_a_QR_code_and_connects_when_a_phone_scans_it(Protocol protocol)
    {
        var driver = await DriverAsync(protocol);
        var phone = NewPhone();
        await driver.CreatePhoneAsync(phone);

        var created = await driver.CreateAsync("Support line", "support");
        Assert.Equal($"{driver.Tenant}/sessions/support", created.Name);
        Assert.Equal(Engine.Sandbox, created.Engine);
        Assert.StartsWith("workers/", created.Worker);

        await driver.WaitForStateAsync(created.Name, State.ScanQrCode);
        var qr = await driver.GetQrCodeAsync(created.Name);
        Assert.StartsWith("2@", qr.Code);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], qr.Png.Span[..4].ToArray());
        Assert.True(qr.ExpireTime.ToDateTimeOffset() > DateTimeOffset.UtcNow);

        var scanned = await driver.ScanAsync(qr.Code, phone);
        Assert.Equal(created.Name, scanned.Session);

        var connected = await driver.WaitForStateAsync(created.Name, State.Connected);
        Assert.Equal(phone, connected.PhoneNumber);
        Assert.Null(connected.LastError);
    }

    [Fact]
    public async Task WatchSession_streams_each_transition_and_each_new_QR_code()
    {
        var driver = await DriverAsync(Protocol.Grpc);
        var phone = NewPhone();
        await driver.CreatePhoneAsync(phone);
        var created = await driver.CreateAsync();
        var client = new SessionService.SessionServiceClient(fixture.Server.Grpc);
        using var watch = client.WatchSession(new WatchSessionRequest { Name = created.Name }, driver.Headers);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var states = new List<State>();
        var qrSequences = new List<int>();

        while (await watch.ResponseStream.MoveNext(guard.Token))
        {
            var change = watch.ResponseStream.Current;
            if (change.Session is { } session && (states.Count == 0 || states[^1] != session.State))
            {
                states.Add(session.State);
            }
            if (change.QrCode is { } qr)
            {
                qrSequences.Add(qr.Sequence);
                if (qr.Sequence == 2)
                {
                    await driver.ScanAsync(qr.Code, phone); // scan the second code, after a rotation
                }
            }
            if (states.Count > 0 && states[^1] == State.Connected)
            {
                break;
            }
        }

        Assert.Equal([1, 2], qrSequences);
        Assert.Equal(State.ScanQrCode, states.SkipWhile(s => s == State.Starting).First());
        Assert.Equal([State.Connecting, State.Connected], states.TakeLast(2));
    }

    [Fact]
    public async Task A_dropped_connection_is_retried_with_backoff_until_connected_again()
    {
        var driver = await DriverAsync(Protocol.Grpc);
        var (session, phone) = await driver.CreateConnectedAsync(NewPhone());
        var client = new SessionService.SessionServiceClient(fixture.Server.Grpc);
        using var watch = client.WatchSession(new WatchSessionRequest { Name = session.Name }, driver.Headers);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.True(await watch.ResponseStream.MoveNext(guard.Token));
        Assert.Equal(State.Connected, watch.ResponseStream.Current.Session.State);

        Assert.Equal(1, (await driver.DisconnectDevicesAsync(phone)).DisconnectedCount);

        Assert.True(await watch.ResponseStream.MoveNext(guard.Token));
        var lost = watch.ResponseStream.Current.Session;
        Assert.Equal((State.Connecting, "CONNECTION_LOST", 428), (lost.State, lost.LastError.Reason, lost.LastError.Code));
        Assert.True(await watch.ResponseStream.MoveNext(guard.Token));
        var back = watch.ResponseStream.Current.Session;
        Assert.Equal(State.Connected, back.State);
        Assert.Equal(phone, back.PhoneNumber);
        // Still linked with the same credentials: no scan was needed.
        Assert.True(back.UpdateTime.ToDateTimeOffset() > lost.UpdateTime.ToDateTimeOffset());
    }

    [Fact]
    public async Task Unscanned_QR_codes_run_out_the_session_says_so_and_a_restart_shows_new_ones()
    {
        var driver = await DriverAsync(Protocol.Rest);
        var created = await driver.CreateAsync();

        var exhausted = await driver.WaitForStateAsync(created.Name, State.Disconnected);
        Assert.Equal("QR_ATTEMPTS_EXHAUSTED", exhausted.LastError.Reason);
        var noQr = await Assert.ThrowsAsync<ApiCallException>(() => driver.GetQrCodeAsync(created.Name));
        Assert.Equal(400, noQr.HttpStatus);

        await driver.RestartAsync(created.Name);
        await driver.WaitForStateAsync(created.Name, State.ScanQrCode);
        Assert.Equal(1, (await driver.GetQrCodeAsync(created.Name)).Sequence);
    }

    [Fact]
    public async Task A_pairing_code_links_the_session_without_a_QR_scan()
    {
        var driver = await DriverAsync(Protocol.Rest);
        var phone = NewPhone();
        await driver.CreatePhoneAsync(phone);
        var created = await driver.CreateAsync();
        await driver.WaitForStateAsync(created.Name, State.ScanQrCode);

        var pairing = await driver.RequestPairingCodeAsync(created.Name, phone.Insert(2, " ").Insert(6, "-"));
        Assert.Matches("^[A-Z2-9]{8}$", pairing.PairingCode);
        await driver.ScanAsync(pairing.PairingCode, phone);

        Assert.Equal(phone, (await driver.WaitForStateAsync(created.Name, State.Connected)).PhoneNumber);
    }

    [Fact]
    public async Task Logging_out_unlinks_the_device_and_a_restart_needs_a_new_scan()
    {
        var driver = await DriverAsync(Protocol.Grpc);
        var (session, _) = await driver.CreateConnectedAsync(NewPhone());

        var loggedOut = await driver.LogoutAsync(session.Name);

        Assert.Equal(State.LoggedOut, loggedOut.State);
        Assert.Equal("", loggedOut.PhoneNumber);
        Assert.Equal("LOGGED_OUT", loggedOut.LastError.Reason);
        await driver.RestartAsync(session.Name);
        await driver.WaitForStateAsync(session.Name, State.ScanQrCode);
    }

    [Fact]
    public async Task Pairing_on_a_connected_session_is_a_failed_precondition()
    {
        var driver = await DriverAsync(Protocol.Rest);
        var (session, phone) = await driver.CreateConnectedAsync(NewPhone());

        var refused = await Assert.ThrowsAsync<ApiCallException>(() => driver.RequestPairingCodeAsync(session.Name, phone));

        Assert.Equal(StatusCode.FailedPrecondition, refused.Code);
        Assert.Equal(400, refused.HttpStatus);
        Assert.Contains("STATE_CONNECTED", refused.Status!.Message);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("5551234567")]
    [InlineData("+1 555 abc 4567")]
    [InlineData("+0123456789")]
    [InlineData("+1234567890123456")]
    public async Task A_malformed_phone_number_is_a_400_naming_it(string phoneNumber)
    {
        var driver = await DriverAsync(Protocol.Rest);
        var created = await driver.CreateAsync();

        var refused = await Assert.ThrowsAsync<ApiCallException>(() => driver.RequestPairingCodeAsync(created.Name, phoneNumber));

        Assert.Equal(400, refused.HttpStatus);
        Assert.Equal(["phoneNumber"], refused.ViolatedFields);
    }

    [Theory]
    [InlineData(Engine.Unspecified)]
    [InlineData((Engine)42)]
    public async Task An_unknown_engine_is_a_400_naming_it(Engine engine)
    {
        var driver = await DriverAsync(Protocol.Grpc);

        var refused = await Assert.ThrowsAsync<ApiCallException>(() => driver.CreateAsync(engine: engine));

        Assert.Equal(StatusCode.InvalidArgument, refused.Code);
        Assert.Equal(["session.engine"], refused.ViolatedFields);
    }

    [Fact]
    public async Task An_unknown_engine_name_over_rest_is_a_400()
    {
        var account = await Account.RegisterAsync(fixture.Server.Api(Protocol.Grpc));
        var rest = (RestApi)fixture.Server.Api(Protocol.Rest);

        var (status, body) = await rest.SendRawAsync(HttpMethod.Post, $"/v1/{account.TenantName}/sessions",
            """{"displayName":"x","engine":"ENGINE_WHATSAPP_WEB"}""", account.Key);

        Assert.Equal(400, status);
        Assert.Contains("engine", body);
    }

    [Fact]
    public async Task Another_tenants_session_is_not_found()
    {
        var owner = await DriverAsync(Protocol.Rest);
        var created = await owner.CreateAsync();
        var stranger = await DriverAsync(Protocol.Rest);

        var refused = await Assert.ThrowsAsync<ApiCallException>(() => stranger.GetAsync(created.Name));
        var deleteRefused = await Assert.ThrowsAsync<ApiCallException>(() => stranger.DeleteAsync(created.Name));

        Assert.Equal(404, refused.HttpStatus);
        Assert.Equal(404, deleteRefused.HttpStatus);
        Assert.Equal(created.Name, (await owner.GetAsync(created.Name)).Name);
    }

    [Fact]
    public async Task The_plan_limits_the_number_of_sessions()
    {
        var driver = await DriverAsync(Protocol.Grpc);
        for (var i = 0; i < 5; i++)
        {
            await driver.CreateAsync($"line {i}");
        }

        var refused = await Assert.ThrowsAsync<ApiCallException>(() => driver.CreateAsync("one too many"));

        Assert.Equal(StatusCode.ResourceExhausted, refused.Code);
        Assert.NotNull(refused.Detail<Google.Rpc.QuotaFailure>());
        var usage = await fixture.Server.Api(Protocol.Grpc).GetTenantUsageAsync(driver.Tenant + "/usage", Credential.Key(driver.Headers.GetValue("x-api-key")!));
        Assert.Equal((5, 5), (usage.SessionCount, usage.SessionLimit));
    }

    [Fact]
    public async Task The_plan_limits_the_messages_a_tenant_sends_a_day()
    {
        var driver = await DriverAsync(Protocol.Grpc);
        var (session, _) = await driver.CreateConnectedAsync(NewPhone());
        var key = SessionKey.Parse(session.Name);
        var quota = PlanLimits.MessagesPerDay(TenantPlan.Free);
        // All but one of the day's messages, as if sent earlier today.
        await using (var db = fixture.Server.OpenDatabase())
        {
            var today = DateTime.UtcNow;
            db.Messages.AddRange(Enumerable.Range(0, quota - 1).Select(i => new MessageRecord
            {
                TenantId = key.TenantId, SessionId = key.SessionId, Id = $"earlier{i}", Direction = (int)Message.Types.Direction.Outbound,
                Chat = "+15559990000", Content = "{}", State = (int)Message.Types.State.Sent, CreateTime = today, UpdateTime = today,
            }));
            await db.SaveChangesAsync();
        }
        var messages = new MessageService.MessageServiceClient(fixture.Server.Grpc);
        Task<SendMessageResponse> SendAsync() => messages.SendMessageAsync(new SendMessageRequest
        {
            Parent = session.Name, To = "+15559990000", Text = new TextContent { Body = "one more" },
        }, driver.Headers).ResponseAsync;

        var last = await SendAsync();
        var refused = await Assert.ThrowsAsync<RpcException>(SendAsync);

        Assert.Equal(Message.Types.State.Queued, last.Message.State);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains($"{quota} messages", refused.Status.Detail);
    }

    [Fact]
    public async Task A_deleted_session_is_gone_and_its_id_can_be_reused()
    {
        var driver = await DriverAsync(Protocol.Rest);
        var created = await driver.CreateAsync(sessionId: "temporary");
        var duplicate = await Assert.ThrowsAsync<ApiCallException>(() => driver.CreateAsync(sessionId: "temporary"));
        Assert.Equal(409, duplicate.HttpStatus);

        await driver.DeleteAsync(created.Name);

        Assert.Equal(404, (await Assert.ThrowsAsync<ApiCallException>(() => driver.GetAsync(created.Name))).HttpStatus);
        Assert.Equal(created.Name, (await driver.CreateAsync(sessionId: "temporary")).Name);
    }

    [Fact]
    public async Task A_linked_session_deleted_and_created_again_with_the_same_id_asks_for_a_QR_code()
    {
        var driver = await DriverAsync(Protocol.Grpc);
        var (session, _) = await driver.CreateConnectedAsync(NewPhone(), sessionId: "relinked");

        await driver.DeleteAsync(session.Name);
        var recreated = await driver.CreateAsync(sessionId: "relinked");

        Assert.Equal(session.Name, recreated.Name);
        var waiting = await driver.WaitForStateAsync(recreated.Name, State.ScanQrCode);
        Assert.Equal("", waiting.PhoneNumber);
    }
}

public sealed class SingleNodeSessionLifecycleTests(SingleNodeSessionLifecycleTests.FastQrSingleNode fixture)
    : SessionLifecycleTests(fixture), IClassFixture<SingleNodeSessionLifecycleTests.FastQrSingleNode>
{
    public sealed class FastQrSingleNode : SingleNodeFixture
    {
        protected override IReadOnlyList<string> Settings => FastQrCodes;
    }
}

public sealed class ClusterSessionLifecycleTests(ClusterSessionLifecycleTests.FastQrCluster fixture)
    : SessionLifecycleTests(fixture), IClassFixture<ClusterSessionLifecycleTests.FastQrCluster>
{
    public sealed class FastQrCluster : ClusterFixture
    {
        protected override IReadOnlyList<string> SandboxSettings => FastQrCodes;
    }
}
