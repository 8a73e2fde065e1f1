namespace Wagate.DevCluster.Tests.Telemetry;

/// <summary>A webhook endpoint on loopback that refuses the first POST (500, which the gateway
/// retries) and takes every later one (200): one delivery makes one failed attempt and one
/// that succeeds.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly LoopbackHttpServer _server;
    private int _posts;

    private WebhookReceiver() => _server = new LoopbackHttpServer(async context =>
    {
        await context.Request.InputStream.CopyToAsync(Stream.Null);
        context.Response.StatusCode = Interlocked.Increment(ref _posts) == 1 ? 500 : 200;
    });

    public Uri Url => new(_server.Address, "/hook");

    /// <summary>The POSTs that came, refused or taken.</summary>
    public int Posts => Volatile.Read(ref _posts);

    public static WebhookReceiver Start() => new();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
