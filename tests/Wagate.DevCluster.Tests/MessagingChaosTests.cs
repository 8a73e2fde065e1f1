using System.Collections.Concurrent;
using Grpc.Core;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;
using Wagate.DevCluster.Fleet;
using Wagate.DevCluster.Processes;
using Wagate.Testing;
using Xunit;
using State = Wagate.Contracts.Message.V1.Message.Types.State;

namespace Wagate.DevCluster.Tests;

/// <summary>Messages survive the death of the worker sending them: 1,000 messages over 50
/// sessions while a worker is killed with kill -9. Every accepted message ends DELIVERED, each
/// reaches its phone exactly once, and none is lost: the outbox lives in PostgreSQL and the
/// session's next owner sends what is still QUEUED, under message ids the network deduplicates.</summary>
[Collection(FailoverTestsInSequence.Name)]
public sealed class MessagingChaosTests : IAsyncLifetime
{
    private const int Sessions = 50;
    private const int Messages = 1000;
    private const int Recipients = 10;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private readonly TempDirectory _directory = new();
    private LocalCluster? _cluster;

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_thousand_messages_over_fifty_sessions_all_arrive_once_while_a_worker_is_killed()
    {
        // Light pacing: the anti-ban rhythm is not under test, its queue is.
        var options = await TestClusters.OptionsAsync(_directory.Path, workers: 3) with
        {
            Environment = new Dictionary<string, string> { ["WAGATE_SEND_MIN_GAP_MS"] = "20", ["WAGATE_SEND_JITTER_MS"] = "20" },
        };
        _cluster = await LocalCluster.StartAsync(options, TestClusters.Build);
        using var fleet = await SandboxFleet.CreateAsync(_cluster.Gateways[0].GrpcAddress, options.Postgres, _cluster.Sandbox.Address);
        var sessions = await fleet.LinkAsync(Sessions, Patience);
        var phones = new SandboxService.SandboxServiceClient(fleet.Gateway);
        var recipients = Enumerable.Range(0, Recipients).Select(i => SandboxFleet.PhoneOf(90_000 + i)).ToList();
        foreach (var recipient in recipients)
        {
            await phones.CreateSandboxPhoneAsync(new CreateSandboxPhoneRequest { Parent = fleet.Tenant, SandboxPhone = new SandboxPhone { PhoneNumber = recipient } }, fleet.Credentials);
        }
        var victim = await BusiestWorkerAsync(fleet);
        var messages = new MessageService.MessageServiceClient(fleet.Gateway);
        var accepted = new ConcurrentDictionary<string, string>(); // request id -> message name
        var killed = 0;

        try
        {
        await Parallel.ForEachAsync(Enumerable.Range(0, Messages), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            if (i == Messages / 3 && Interlocked.Exchange(ref killed, 1) == 0)
            {
                victim.Kill(); // mid-stream: some of its messages are queued, some sent, some not yet accepted
            }
            var request = new SendMessageRequest
            {
                Parent = sessions[i % Sessions], To = recipients[i % Recipients], RequestId = $"chaos-{i}", Text = new TextContent { Body = $"Message {i}" },
            };
            accepted[request.RequestId] = await SendWithRetriesAsync(messages, request, fleet.Credentials);
        });
        }
        catch (RpcException stuck)
        {
            var broken = (await fleet.ListAsync()).Where(s => s.State != Contracts.Session.V1.Session.Types.State.Connected);
            Assert.Fail($"{stuck.Status.Detail}; sessions not connected: {string.Join("; ", broken)}");
        }

        // Every accepted message reaches a final state: DELIVERED, the recipients being online.
        IReadOnlyList<Message> final = [];
        try
        {
            await Poll.UntilAsync(async () =>
            {
                final = await AllOutboundAsync(messages, sessions, fleet.Credentials);
                return final.Count == Messages && final.All(m => m.State == State.Delivered) ? "done" : null;
            }, Patience);
        }
        catch (TimeoutException)
        {
            var states = string.Join(", ", final.GroupBy(m => m.State).Select(g => $"{g.Key}: {g.Count()}"));
            var stuck = final.Where(m => m.State != State.Delivered).Take(3);
            var broken = (await fleet.ListAsync()).Where(s => s.State != Contracts.Session.V1.Session.Types.State.Connected).Take(3);
            Assert.Fail($"{final.Count} messages ({states}); for example {string.Join("; ", stuck)}; sessions not connected: {string.Join("; ", broken)}");
        }
        Assert.Equal(accepted.Values.Order(), final.Select(m => m.Name).Order());
        // Each arrived exactly once: the phones hold exactly the accepted ids, none twice.
        var arrived = new List<string>();
        foreach (var recipient in recipients)
        {
            arrived.AddRange((await phones.ListSandboxMessagesAsync(new ListSandboxMessagesRequest
            {
                Parent = $"{fleet.Tenant}/sandboxPhones/{recipient.TrimStart('+')}", PageSize = 1000,
            }, fleet.Credentials)).Messages.Select(m => m.Id));
        }
        Assert.Equal(Messages, arrived.Count);
        Assert.Equal(final.Select(m => m.Name[(m.Name.LastIndexOf('/') + 1)..]).Order(), arrived.Order());
    }

    /// <summary>As a client should: the same request id until the gateway accepts it, waiting out
    /// a session between workers (not connected, or unavailable).</summary>
    private static async Task<string> SendWithRetriesAsync(MessageService.MessageServiceClient messages, SendMessageRequest request, Metadata credentials)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                return (await messages.SendMessageAsync(request, credentials)).Message.Name;
            }
            catch (RpcException retry) when (retry.StatusCode is StatusCode.FailedPrecondition or StatusCode.Unavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    private static async Task<IReadOnlyList<Message>> AllOutboundAsync(MessageService.MessageServiceClient messages, IReadOnlyList<string> sessions, Metadata credentials)
    {
        var all = new List<Message>();
        foreach (var session in sessions)
        {
            all.AddRange((await messages.ListMessagesAsync(new ListMessagesRequest
            {
                Parent = session, PageSize = 1000, Filter = "direction = DIRECTION_OUTBOUND",
            }, credentials)).Messages);
        }
        return all;
    }

    private async Task<WorkerProcess> BusiestWorkerAsync(SandboxFleet fleet)
    {
        var busiest = (await fleet.ListAsync()).GroupBy(s => s.Worker).OrderByDescending(g => g.Count()).First().Key;
        return _cluster!.Workers.Single(w => w.WorkerName == busiest);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
        _directory.Dispose();
    }
}
