using Grpc.Core;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Gateway.Tests.Support;
using Wagate.Testing;
using Xunit;

namespace Wagate.Gateway.Tests.Messaging;

/// <summary>A single node with no send pacing (the pipeline, not the anti-ban rhythm, is under
/// test), webhooks allowed to reach loopback and retried quickly, and a tenant whose session is
/// linked to a sandbox phone.</summary>
public class MessagingFixture : IAsyncLifetime
{
    public const string SessionPhone = "+15557100000";

    private readonly TempDirectory _data = new();

    public TestServer Server { get; private set; } = null!;

    public SessionDriver Driver { get; private set; } = null!;

    public Account Account { get; private set; } = null!;

    public string Session { get; private set; } = "";

    /// <summary>The id in <see cref="Account"/>'s tenant name.</summary>
    public string TenantId => Account.TenantName["tenants/".Length..];

    /// <summary>The single node's WAGATE_DATA_DIR.</summary>
    public string DataDirectory => _data.Path;

    public MessageService.MessageServiceClient Messages { get; private set; } = null!;

    public SandboxService.SandboxServiceClient Phones { get; private set; } = null!;

    public Metadata Headers => Driver.Headers;

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartSingleNodeAsync(_data.Path,
        [
            "--WAGATE_SEND_MIN_GAP_MS=0", "--WAGATE_SEND_JITTER_MS=0", "--WAGATE_WEBHOOK_ALLOW_LOOPBACK=1", "--WAGATE_WEBHOOK_FIRST_RETRY_MS=200",
            .. ExtraSettings,
        ]);
        Account = await Account.RegisterAsync(Server.Api(Protocol.Grpc));
        Driver = new SessionDriver(Server, Account, Protocol.Grpc);
        Session = (await Driver.CreateConnectedAsync(SessionPhone)).Session.Name;
        Messages = new MessageService.MessageServiceClient(Server.Grpc);
        Phones = new SandboxService.SandboxServiceClient(Server.Grpc);
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

    /// <summary>More settings of the node, for a fixture that tests one of them.</summary>
    protected virtual IEnumerable<string> ExtraSettings => [];

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _data.Dispose();
    }
}
