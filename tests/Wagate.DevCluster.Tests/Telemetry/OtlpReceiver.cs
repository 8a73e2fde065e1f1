using System.Collections.Concurrent;
using System.Net;
using Wagate.DevCluster.Tests.Telemetry.Otlp;
using Wagate.Testing;

namespace Wagate.DevCluster.Tests.Telemetry;

/// <summary>A span as a process exported it.</summary>
public sealed record ReceivedSpan(string Service, string TraceId, string Name, int Kind);

/// <summary>An OTLP/HTTP receiver on loopback, as a collector would be: it takes the traces the
/// cluster's processes export (protobuf, POST /v1/traces) and keeps their spans; metrics and logs
/// are accepted and dropped.</summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly Task _serving;

    private OtlpReceiver(int port)
    {
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>What OTEL_EXPORTER_OTLP_ENDPOINT should say.</summary>
    public Uri Endpoint { get; }

    public IReadOnlyCollection<ReceivedSpan> Spans => [.. _spans];

    public static OtlpReceiver Start() => new(FreePort.Next());

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return; // disposed
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            if (context.Request.Url?.AbsolutePath == "/v1/traces")
            {
                Keep(ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray()));
            }
            // An empty Export*ServiceResponse: everything was accepted.
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
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

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
