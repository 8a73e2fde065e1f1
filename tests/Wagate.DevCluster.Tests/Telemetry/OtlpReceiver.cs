using System.Collections.Concurrent;
using System.Net;
using Wagate.DevCluster.Tests.Telemetry.Otlp;

namespace Wagate.DevCluster.Tests.Telemetry;

/// <summary>A span as a process exported it.</summary>
public sealed record ReceivedSpan(string Service, string TraceId, string Name, int Kind);

/// <summary>An OTLP/HTTP receiver on loopback, as a collector would be: it takes the traces the
/// cluster's processes export (protobuf, POST /v1/traces) and keeps their spans; metrics and logs
/// are accepted and dropped.</summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly LoopbackHttpServer _server;

    private OtlpReceiver() => _server = new LoopbackHttpServer(ReceiveAsync);

    /// <summary>What OTEL_EXPORTER_OTLP_ENDPOINT should say.</summary>
    public Uri Endpoint => _server.Address;

    public IReadOnlyCollection<ReceivedSpan> Spans => [.. _spans];

    public static OtlpReceiver Start() => new();

    private async Task ReceiveAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        if (context.Request.Url?.AbsolutePath == "/v1/traces")
        {
            Keep(ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray()));
        }
        // An empty Export*ServiceResponse: everything was accepted.
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-protobuf";
    }

    private void Keep(ExportTraceServiceRequest request)
    {
        foreach (var resource in request.ResourceSpans)
        {
            var service = resource.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value?.StringValue ?? "";
            foreach (var span in resource.ScopeSpans.SelectMany(scope => scope.Spans))
            {
                _spans.Enqueue(new ReceivedSpan(service, Convert.ToHexStringLower(span.TraceId.Span), span.Name, span.Kind));
            }
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
