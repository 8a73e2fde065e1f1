using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wagate.Contracts.Message.V1;

namespace Wagate.Bench;

/// <summary>The receive benchmark's webhook endpoint: Kestrel in the benchmark's own process
/// (HTTP/1.1 on 127.0.0.1, no logging), answering every POST with 200. It notes when each
/// delivery arrived (on entry, before the body is read), parses the body as the public
/// <c>Event</c> JSON, and keys the arrival by what <paramref name="tagOf"/> reads from the event
/// (which message it is): only the first arrival of each counts. It also checks each delivery
/// as a customer would: the <c>Wagate-Signature</c> against the webhook's secret, and
/// <c>Wagate-Event-Id</c> to tell a redelivered event from a message announced twice.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private const string PathName = "/wagate-webhook";
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private readonly WebApplication _app;
    private readonly Func<Event, string?> _tagOf;
    private readonly ConcurrentDictionary<string, long> _arrived = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _eventIds = new(StringComparer.Ordinal);
    private volatile string? _secret;
    private int _deliveries;
    private int _redelivered;
    private int _announcedTwice;
    private int _unverified;
    private int _unreadable;

    private WebhookReceiver(Func<Event, string?> tagOf)
    {
        _tagOf = tagOf;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1));
        _app = builder.Build();
        _app.Run(ReceiveAsync);
    }

    /// <summary>The URL to give CreateWebhook, e.g. http://127.0.0.1:41234/wagate-webhook.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The webhook's signing secret, from CreateWebhook; deliveries before it is set count as unverified.</summary>
    public string Secret { set => _secret = value; }

    /// <summary>When each tagged message's first delivery arrived (Stopwatch ticks).</summary>
    public IReadOnlyDictionary<string, long> Arrived => _arrived;

    /// <summary>POSTs received, of any kind.</summary>
    public int Deliveries => Volatile.Read(ref _deliveries);

    /// <summary>Deliveries of an event that had arrived before (same Wagate-Event-Id): a retry.</summary>
    public int Redelivered => Volatile.Read(ref _redelivered);

    /// <summary>Deliveries of a new event for a message that had arrived before under another event.</summary>
    public int AnnouncedTwice => Volatile.Read(ref _announcedTwice);

    /// <summary>Deliveries whose signature did not verify with the secret.</summary>
    public int Unverified => Volatile.Read(ref _unverified);

    /// <summary>Deliveries whose body was not an Event of a tagged message.</summary>
    public int Unreadable => Volatile.Read(ref _unreadable);

    /// <param name="tagOf">Which message an event announces, or null for events of no interest.</param>
    public static async Task<WebhookReceiver> StartAsync(Func<Event, string?> tagOf)
    {
        var receiver = new WebhookReceiver(tagOf);
        await receiver._app.StartAsync();
        var bound = receiver._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        receiver.Url = new Uri(new Uri(bound), PathName);
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        var arrived = Stopwatch.GetTimestamp();
        if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path != PathName)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        Interlocked.Increment(ref _deliveries);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        if (_secret is not { } secret || !Verifies(secret, context.Request.Headers["Wagate-Signature"].ToString(), body))
        {
            Interlocked.Increment(ref _unverified);
        }
        string? tag;
        try
        {
            tag = _tagOf(Parser.Parse<Event>(Encoding.UTF8.GetString(body)));
        }
        catch (InvalidProtocolBufferException)
        {
            tag = null;
        }
        if (tag is null)
        {
            Interlocked.Increment(ref _unreadable);
        }
        else if (!_eventIds.TryAdd(context.Request.Headers["Wagate-Event-Id"].ToString(), 0))
        {
            Interlocked.Increment(ref _redelivered);
        }
        else if (!_arrived.TryAdd(tag, arrived))
        {
            Interlocked.Increment(ref _announcedTwice);
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>WebhookService's documented check: <c>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c> with
    /// v1 = HMAC-SHA256(secret, t + "." + body), compared in constant time. Written from the
    /// contract, not borrowed from the gateway, so it checks what a customer would.</summary>
    private static bool Verifies(string secret, string header, byte[] body)
    {
        var parts = header.Split(',', StringSplitOptions.TrimEntries);
        var timestamp = parts.FirstOrDefault(p => p.StartsWith("t=", StringComparison.Ordinal))?[2..];
        if (timestamp is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.UTF8.GetBytes(timestamp + "."), .. body]);
        return parts.Where(p => p.StartsWith("v1=", StringComparison.Ordinal)).Any(p =>
        {
            try
            {
                return CryptographicOperations.FixedTimeEquals(Convert.FromHexString(p[3..]), expected);
            }
            catch (FormatException)
            {
                return false;
            }
        });
    }
}
