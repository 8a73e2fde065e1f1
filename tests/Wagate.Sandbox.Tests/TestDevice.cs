using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;
using Xunit;

namespace Wagate.Sandbox.Tests;

/// <summary>A device connection driven by a test: send frames, await the next one.</summary>
internal sealed class TestDevice(ISandboxConnection connection) : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static async Task<TestDevice> ConnectAsync(ISandboxNetworkClient network, string tenant, string session,
        DeviceCredentials? credentials = null, long stateCounter = 0)
    {
        var device = new TestDevice(network.Connect());
        await device.SendAsync(new ConnectRequest
        {
            Hello = new Hello { Tenant = tenant, Session = session, Credentials = credentials, StateCounter = stateCounter },
        });
        return device;
    }

    public ValueTask SendAsync(ConnectRequest request) => connection.SendAsync(request);

    public ValueTask SendMessageAsync(string id, string to, string text = "hello") =>
        SendAsync(new ConnectRequest { Send = new OutboundMessage { Id = id, To = to, Text = text } });

    public ValueTask SendMessageAsync(string id, string to, Content content) =>
        SendAsync(new ConnectRequest { Send = new OutboundMessage { Id = id, To = to, Content = content } });

    /// <summary>The next frame; fails the test if none comes (a guard, not a timing).</summary>
    public async Task<ConnectResponse> NextAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var frame = await connection.Responses.ReadAsync(timeout.Token);
        if (frame.FrameCase == ConnectResponse.FrameOneofCase.Close)
        {
            // Close is the last frame. Over a wire the reader completes a moment after handing
            // it out, so wait for that here rather than let IsClosed race it.
            await connection.Responses.Completion.WaitAsync(timeout.Token);
        }
        return frame;
    }

    public async Task<ConnectResponse> NextAsync(ConnectResponse.FrameOneofCase expected)
    {
        var frame = await NextAsync();
        Assert.True(frame.FrameCase == expected, $"expected {expected}, got {frame}");
        return frame;
    }

    /// <summary>
    /// Reads frames up to the network's acknowledgement of message <paramref name="id"/>, passing
    /// over receipts of earlier messages (a recipient's DELIVERED may come between).
    /// </summary>
    public async Task<ConnectResponse> ServerAckOfAsync(string id)
    {
        while (true)
        {
            var frame = await NextAsync(ConnectResponse.FrameOneofCase.Receipt);
            if (frame.Receipt.Id == id && frame.Receipt.Status == Receipt.Types.Status.ServerAck) return frame;
        }
    }

    /// <summary>True when nothing is waiting right now.</summary>
    public bool IsQuiet => !connection.Responses.TryPeek(out _);

    public bool IsClosed => connection.Responses.Completion.IsCompleted;

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
