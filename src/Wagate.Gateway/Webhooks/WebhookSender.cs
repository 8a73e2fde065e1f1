using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Wagate.Gateway.Webhooks;

/// <summary>What one POST of a delivery came to: the HTTP status (0 when no answer came), what
/// went wrong if anything did, and the receiver's Retry-After if it sent one.</summary>
public sealed record WebhookAttemptResult(DateTimeOffset Time, TimeSpan Latency, int StatusCode, string Error, TimeSpan? RetryAfter)
{
    public bool Succeeded => WebhookRetrySchedule.Succeeded(StatusCode);
}

/// <summary>POSTs signed events to webhook URLs. Connections go only to addresses the
/// <see cref="WebhookAddressPolicy"/> allows, checked on the address actually connected to;
/// redirects are not followed; a slow receiver is cut off after <see cref="Timeout"/>.</summary>
public sealed class WebhookSender : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly TimeProvider _clock;

    public WebhookSender(WebhookAddressPolicy policy, TimeProvider clock)
    {
        _clock = clock;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5), // follow DNS changes
            ConnectCallback = (context, cancellationToken) => ConnectAsync(policy, context, cancellationToken),
        };
        _http = new HttpClient(handler) { Timeout = Timeout };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Wagate-Webhooks", "1"));
    }

    /// <summary>POSTs <paramref name="body"/> signed with <paramref name="secret"/>. The event id (its
    /// cursor) is the same on every retry, for the receiver to deduplicate.</summary>
    public async Task<WebhookAttemptResult> SendAsync(Uri url, string secret, string eventId, string eventType, byte[] body,
        CancellationToken cancellationToken = default)
    {
        var time = _clock.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Create(secret, time, body));
        request.Headers.Add("Wagate-Event-Id", eventId);
        request.Headers.Add("Wagate-Event-Type", eventType);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            return new WebhookAttemptResult(time, Stopwatch.GetElapsedTime(started), status,
                WebhookRetrySchedule.Succeeded(status) ? "" : $"The endpoint answered {status} {response.ReasonPhrase}.",
                response.Headers.RetryAfter?.Delta);
        }
        catch (Exception failed) when (failed is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var error = failed is TaskCanceledException ? $"No answer within {Timeout.TotalSeconds:0} s." : failed.Message;
            return new WebhookAttemptResult(time, Stopwatch.GetElapsedTime(started), 0, error, null);
        }
    }

    private static async ValueTask<Stream> ConnectAsync(WebhookAddressPolicy policy, SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = System.Net.IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await System.Net.Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(policy.Allows).ToList();
        if (allowed.Count == 0)
        {
            throw new HttpRequestException($"{host} resolves only to addresses webhooks may not reach.");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed.ToArray(), context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();
}
