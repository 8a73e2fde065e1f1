using Google.Protobuf;
using Grpc.Core;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Contracts.Session.V1;

namespace Wagate.Gateway.Tests.Support;

/// <summary>Drives sessions and sandbox phones for one account over gRPC or REST, and waits
/// for session states (polling GetSession, with a generous guard, never a fixed sleep).</summary>
public sealed class SessionDriver(TestServer server, Account account, Protocol protocol)
{
    // A guard, not a timing: generous because the whole suite runs in parallel on two cores.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    private readonly SessionService.SessionServiceClient _sessions = new(server.Grpc);
    private readonly SandboxService.SandboxServiceClient _sandbox = new(server.Grpc);

    public Metadata Headers { get; } = new() { { "x-api-key", account.Registration.ApiKey.Key } };

    public string Tenant => account.TenantName;

    public Task<Session> CreateAsync(string displayName = "Support line", string sessionId = "", Engine engine = Engine.Sandbox) =>
        protocol == Protocol.Rest
            ? RestAsync(HttpMethod.Post, $"/v1/{Tenant}/sessions" + (sessionId.Length > 0 ? $"?sessionId={sessionId}" : ""),
                new Session { DisplayName = displayName, Engine = engine }, Session.Parser)
            : Grpc(async () => (await _sessions.CreateSessionAsync(new CreateSessionRequest
            {
                Parent = Tenant, SessionId = sessionId, Session = new Session { DisplayName = displayName, Engine = engine },
            }, Headers)).Session);

    public Task<Session> GetAsync(string name) =>
        protocol == Protocol.Rest
            ? RestAsync(HttpMethod.Get, $"/v1/{name}", null, Session.Parser)
            : Grpc(async () => (await _sessions.GetSessionAsync(new GetSessionRequest { Name = name }, Headers)).Session);

    public Task<QrCode> GetQrCodeAsync(string name) =>
        protocol == Protocol.Rest
            ? RestAsync(HttpMethod.Get, $"/v1/{name}/qr", null, QrCode.Parser)
            : Grpc(async () => (await _sessions.GetSessionQrCodeAsync(new GetSessionQrCodeRequest { Name = name }, Headers)).QrCode);

    public Task<RequestPairingCodeResponse> RequestPairingCodeAsync(string name, string phoneNumber) =>
        protocol == Protocol.Rest
            ? RestAsync(HttpMethod.Post, $"/v1/{name}:requestPairingCode", new RequestPairingCodeRequest { PhoneNumber = phoneNumber }, RequestPairingCodeResponse.Parser)
            : Grpc(() => _sessions.RequestPairingCodeAsync(new RequestPairingCodeRequest { Name = name, PhoneNumber = phoneNumber }, Headers).ResponseAsync);

    public Task<Session> LogoutAsync(string name) =>
        protocol == Protocol.Rest
            ? RestAsync(HttpMethod.Post, $"/v1/{name}:logout", new LogoutSessionRequest(), Session.Parser)
            : Grpc(async () => (await _sessions.LogoutSessionAsync(new LogoutSessionRequest { Name = name }, Headers)).Session);

    public Task<Session> RestartAsync(string name) =>
        protocol == Protocol.Rest
            ? RestAsync(HttpMethod.Post, $"/v1/{name}:restart", new RestartSessionRequest(), Session.Parser)
            : Grpc(async () => (await _sessions.RestartSessionAsync(new RestartSessionRequest { Name = name }, Headers)).Session);

    public Task DeleteAsync(string name) =>
        protocol == Protocol.Rest
            ? RestAsync(HttpMethod.Delete, $"/v1/{name}", null, DeleteSessionResponse.Parser)
            : Grpc(() => _sessions.DeleteSessionAsync(new DeleteSessionRequest { Name = name }, Headers).ResponseAsync);

    public Task<SandboxPhone> CreatePhoneAsync(string number) =>
        protocol == Protocol.Rest
            ? RestAsync(HttpMethod.Post, $"/v1/{Tenant}/sandboxPhones", new SandboxPhone { PhoneNumber = number }, SandboxPhone.Parser)
            : Grpc(async () => (await _sandbox.CreateSandboxPhoneAsync(new CreateSandboxPhoneRequest
            {
                Parent = Tenant, SandboxPhone = new SandboxPhone { PhoneNumber = number },
            }, Headers)).SandboxPhone);

    public Task<ScanResponse> ScanAsync(string code, string number) =>
        protocol == Protocol.Rest
            ? RestAsync(HttpMethod.Post, $"/v1/{Tenant}/sandbox:scan", new ScanRequest { Code = code, PhoneNumber = number }, ScanResponse.Parser)
            : Grpc(() => _sandbox.ScanAsync(new ScanRequest { Tenant = Tenant, Code = code, PhoneNumber = number }, Headers).ResponseAsync);

    /// <summary>A text from the phone, answering the message of the chat whose id is
    /// <paramref name="replyTo"/> if given.</summary>
    public Task<SendSandboxMessageResponse> SendFromPhoneAsync(string number, string to, string text, string replyTo = "") =>
        Grpc(() => _sandbox.SendSandboxMessageAsync(new SendSandboxMessageRequest
        {
            Name = $"{Tenant}/sandboxPhones/{number.TrimStart('+')}", To = to, Text = text, ReplyTo = replyTo,
        }, Headers).ResponseAsync);

    /// <summary>The phone reacts to the message of the chat whose id is <paramref name="messageId"/>.</summary>
    public Task<SendSandboxMessageResponse> ReactFromPhoneAsync(string number, string to, string messageId, string emoji) =>
        Grpc(() => _sandbox.SendSandboxMessageAsync(new SendSandboxMessageRequest
        {
            Name = $"{Tenant}/sandboxPhones/{number.TrimStart('+')}", To = to,
            Reaction = new Contracts.Message.V1.ReactionContent { MessageId = messageId, Emoji = emoji },
        }, Headers).ResponseAsync);

    public async Task<IReadOnlyList<SandboxMessage>> ListPhoneMessagesAsync(string number) =>
        (await Grpc(() => _sandbox.ListSandboxMessagesAsync(new ListSandboxMessagesRequest
        {
            Parent = $"{Tenant}/sandboxPhones/{number.TrimStart('+')}", PageSize = 1000,
        }, Headers).ResponseAsync)).Messages;

    public Task<DisconnectSandboxDevicesResponse> DisconnectDevicesAsync(string number) =>
        Grpc(() => _sandbox.DisconnectSandboxDevicesAsync(new DisconnectSandboxDevicesRequest
        {
            Name = $"{Tenant}/sandboxPhones/{number.TrimStart('+')}",
        }, Headers).ResponseAsync);

    /// <summary>Polls until the session is in <paramref name="state"/>.</summary>
    public async Task<Session> WaitForStateAsync(string name, Session.Types.State state)
    {
        using var guard = new CancellationTokenSource(Patience);
        Session session;
        while ((session = await GetAsync(name)).State != state)
        {
            await Task.Delay(50, guard.Token);
        }
        return session;
    }

    /// <summary>Creates a session and links it to a new sandbox phone by scanning its QR code.</summary>
    public async Task<(Session Session, string Phone)> CreateConnectedAsync(string phone, string sessionId = "")
    {
        await CreatePhoneAsync(phone);
        var created = await CreateAsync(sessionId: sessionId);
        await WaitForStateAsync(created.Name, Session.Types.State.ScanQrCode);
        var qr = await GetQrCodeAsync(created.Name);
        await ScanAsync(qr.Code, phone);
        return (await WaitForStateAsync(created.Name, Session.Types.State.Connected), phone);
    }

    private static Task<T> Grpc<T>(Func<Task<T>> call) => GrpcCall.RunAsync(call);

    private Task<T> RestAsync<T>(HttpMethod method, string path, IMessage? body, MessageParser<T> parser) where T : IMessage<T> =>
        RestTransport.SendAsync(server.Http, method, path, body, account.Key, parser);
}
