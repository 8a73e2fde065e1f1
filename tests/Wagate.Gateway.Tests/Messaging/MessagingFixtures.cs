using Grpc.Core;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Gateway.Tests.Support;
using Wagate.Testing;
using Xunit;

namespace Wagate.Gateway.Tests.Messaging;

/// <summary>A server with no send pacing (the pipeline, not the anti-ban rhythm, is under test),
/// webhooks allowed to reach loopback and retried quickly, and a tenant whose session is linked
/// to a sandbox phone: on the single node (<see cref="SingleNodeMessagingFixture"/>) or on a
/// cluster (<see cref="ClusterMessagingFixture"/>).</summary>
public interface IMessagingFixture : IServerFixture
{
    MessagingSession Messaging { get; }
}

/// <summary>The tenant, its linked session and the clients the messaging tests use.</summary>
public sealed class MessagingSession
{
    public const string SessionPhone = "+15557100000";

    /// <summary>Settings of whatever sends (the single node, or a cluster's workers).</summary>
    public static readonly string[] SenderSettings = ["--WAGATE_SEND_MIN_GAP_MS=0", "--WAGATE_SEND_JITTER_MS=0"];

    /// <summary>Settings of whatever delivers webhooks (the single node, or a cluster's gateway).</summary>
    public static readonly string[] WebhookSettings = ["--WAGATE_WEBHOOK_ALLOW_LOOPBACK=1", "--WAGATE_WEBHOOK_FIRST_RETRY_MS=200"];

    private MessagingSession(TestServer server, string stateDirectory, Account account)
    {
        Server = server;
        StateDirectory = stateDirectory;
        Account = account;
        Driver = new SessionDriver(server, account, Protocol.Grpc);
        Messages = new MessageService.MessageServiceClient(server.Grpc);
        Phones = new SandboxService.SandboxServiceClient(server.Grpc);
    }

    public TestServer Server { get; }

    /// <summary>The directory of the blob store the senders keep media in.</summary>
    public string StateDirectory { get; }

    public SessionDriver Driver { get; }

    public Account Account { get; }

    public string Session { get; private set; } = "";

    /// <summary>The id in <see cref="Account"/>'s tenant name.</summary>
    public string TenantId => Account.TenantName["tenants/".Length..];

    public MessageService.MessageServiceClient Messages { get; }

    public SandboxService.SandboxServiceClient Phones { get; }

    public Metadata Headers => Driver.Headers;

    public static async Task<MessagingSession> StartAsync(TestServer server, string stateDirectory)
    {
        var messaging = new MessagingSession(server, stateDirectory, await Account.RegisterAsync(server.Api(Protocol.Grpc)));
        messaging.Session = (await messaging.Driver.CreateConnectedAsync(SessionPhone)).Session.Name;
        return messaging;
    }

    private static int _phones;

    /// <summary>A new sandbox phone of the tenant to talk to.</summary>
    public async Task<string> NewPhoneAsync()
    {
        var number = $"+1557200{Interlocked.Increment(ref _phones):D4}";
        await Driver.CreatePhoneAsync(number);
        return number;
    }

    /// <summary>What the phone received.</summary>
    public async Task<IReadOnlyList<SandboxMessage>> InboxAsync(string number) =>
        (await Phones.ListSandboxMessagesAsync(new ListSandboxMessagesRequest { Parent = PhoneName(number), PageSize = 1000 }, Headers)).Messages;

    public string PhoneName(string number) => $"{Account.TenantName}/sandboxPhones/{number.TrimStart('+')}";

    /// <summary>Polls the message until <paramref name="done"/> holds.</summary>
    public async Task<Message> WaitForAsync(string name, Func<Message, bool> done)
    {
        Message? last = null;
        try
        {
            return await Poll.UntilAsync(async () =>
            {
                last = (await Messages.GetMessageAsync(new GetMessageRequest { Name = name }, Headers)).Message;
                return done(last) ? last : null;
            }, TimeSpan.FromSeconds(45));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{name} never got there; last seen: {last}");
        }
    }

}

public class SingleNodeMessagingFixture : SingleNodeFixture, IMessagingFixture
{
    public MessagingSession Messaging { get; private set; } = null!;

    protected override IReadOnlyList<string> Settings => [.. MessagingSession.SenderSettings, .. MessagingSession.WebhookSettings];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Messaging = await MessagingSession.StartAsync(Server, StateDirectory);
    }
}

public class ClusterMessagingFixture : ClusterFixture, IMessagingFixture
{
    public MessagingSession Messaging { get; private set; } = null!;

    protected override IReadOnlyList<string> WorkerSettings => MessagingSession.SenderSettings;

    protected override IReadOnlyList<string> GatewaySettings => MessagingSession.WebhookSettings;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Messaging = await MessagingSession.StartAsync(Server, StateDirectory);
    }
}
