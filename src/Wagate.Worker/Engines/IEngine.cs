using System.Threading.Channels;
using Wagate.Contracts.Session.V1;

namespace Wagate.Worker.Engines;

/// <summary>The port every WhatsApp engine implements, shaped after Baileys: a connection is
/// started from the stored state, reports what happens as <see cref="EngineEvent"/>s, and takes
/// commands. One connection is one socket: when it closes, the session runtime decides whether
/// and when to start another (Baileys does not reconnect by itself either).</summary>
public interface IEngine
{
    Engine Kind { get; }

    Task<IEngineConnection> ConnectAsync(EngineStart start, CancellationToken cancellationToken = default);
}

/// <summary>What a connection starts from. <paramref name="FencingToken"/> proves ownership of
/// the session; engines pass it along but never interpret it.</summary>
public sealed record EngineStart(string Tenant, string Session, SessionState State, long FencingToken);

/// <summary>One live engine connection.</summary>
public interface IEngineConnection : IAsyncDisposable
{
    /// <summary>Everything the connection reports, ending after a <see cref="EngineEvent.Closed"/>.</summary>
    ChannelReader<EngineEvent> Events { get; }

    Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default);

    /// <summary>Only while QR codes are showing; the code arrives as <see cref="EngineEvent.PairingCodeIssued"/>.</summary>
    Task RequestPairingCodeAsync(string phoneNumber, CancellationToken cancellationToken = default);

    /// <summary>Unlinks the device; the connection then closes with <see cref="CloseCode.LoggedOut"/>.</summary>
    Task LogoutAsync(CancellationToken cancellationToken = default);
}

/// <summary>A message to send. The id is ours, so receipts can be matched to it.</summary>
public sealed record OutgoingMessage(string Id, string To, string Text);

/// <summary>WhatsApp's disconnect codes that change what the runtime does next.</summary>
public static class CloseCode
{
    public const int LoggedOut = 401;
    public const int TimedOutOrQrEnded = 408;
    public const int Replaced = 440;
    public const int RestartRequired = 515;
}
