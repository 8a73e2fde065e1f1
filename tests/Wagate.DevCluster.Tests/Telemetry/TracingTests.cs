using System.Security.Cryptography;
using Grpc.Core;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;
using Wagate.DevCluster.Fleet;
using Wagate.Testing;
using Xunit;

namespace Wagate.DevCluster.Tests.Telemetry;

/// <summary>With the standard OTEL_EXPORTER_OTLP_ENDPOINT set, every process exports its traces,
/// and the trace context travels with the calls between them: one SendMessage is one trace, with
/// spans from the gateway that took it and from the worker it handed it to.</summary>
[Collection(FailoverTestsInSequence.Name)]
public sealed class TracingTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly TempDirectory _directory = new();
    private OtlpReceiver? _receiver;
    private LocalCluster? _cluster;

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task One_SendMessage_yields_spans_from_the_gateway_and_the_worker_in_one_trace()
    {
        _receiver = OtlpReceiver.Start();
        var options = await TestClusters.OptionsAsync(_directory.Path, workers: 1) with
        {
            Environment = new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.Endpoint.ToString(),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                // Export within a fraction of a second rather than the default five.
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                ["WAGATE_SEND_MIN_GAP_MS"] = "0",
                ["WAGATE_SEND_JITTER_MS"] = "0",
            },
        };
        _cluster = await LocalCluster.StartAsync(options, TestClusters.Build);
        using var fleet = await SandboxFleet.CreateAsync(_cluster.Gateways[0].GrpcAddress, options.Postgres, _cluster.Sandbox.Address);
        var session = (await fleet.LinkAsync(1, Patience)).Single();
        var recipient = SandboxFleet.PhoneOf(70_000);
        await new SandboxService.SandboxServiceClient(fleet.Gateway).CreateSandboxPhoneAsync(
            new CreateSandboxPhoneRequest { Parent = fleet.Tenant, SandboxPhone = new SandboxPhone { PhoneNumber = recipient } }, fleet.Credentials);

        // The caller starts the trace, as an instrumented client would: W3C trace context.
        var traceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var headers = new Metadata { { "traceparent", $"00-{traceId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-01" } };
        foreach (var credential in fleet.Credentials)
        {
            headers.Add(credential);
        }
        await new MessageService.MessageServiceClient(fleet.Gateway).SendMessageAsync(new SendMessageRequest
        {
            Parent = session, To = recipient, RequestId = "traced", Text = new TextContent { Body = "One trace" },
        }, headers);

        // Each process exports in batches of its own, in its own time: wait for the three spans.
        Func<ReceivedSpan, bool>[] expected =
        [
            s => s.Service == "wagate-gateway" && s.Name.Contains("MessageService/SendMessage", StringComparison.Ordinal) && s.Kind == Server,
            s => s.Service == "wagate-gateway" && s.Kind == Client && s.Name.Contains("WorkerService/DispatchMessages", StringComparison.Ordinal),
            s => s.Service == "wagate-worker" && s.Name.Contains("WorkerService/DispatchMessages", StringComparison.Ordinal) && s.Kind == Server,
        ];
        IReadOnlyList<ReceivedSpan> traced = [];
        try
        {
            await Poll.UntilAsync(() =>
            {
                traced = _receiver.Spans.Where(s => s.TraceId == traceId).ToList();
                return Task.FromResult(expected.All(wanted => traced.Any(wanted)) ? "all there" : null);
            }, Patience);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The trace lacks a span; it has: {string.Join("; ", traced.Select(s => $"{s.Service} {s.Name} ({s.Kind})"))}");
        }
    }

    /// <summary>OTLP's SpanKind.</summary>
    private const int Server = 2;
    private const int Client = 3;

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }
        _directory.Dispose();
    }
}
