using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;

namespace Wagate.Sandbox;

/// <summary>The phone side of the sandbox network, as SandboxService drives it: simulated
/// phones that scan QR codes, message linked sessions and read what they sent. In process on a
/// single node (<see cref="InProcessSandboxPhones"/>); over gRPC from a cluster gateway to the
/// sandbox network process (<see cref="Grpc.GrpcSandboxPhones"/>). Tenants are resource names
/// (<c>tenants/{tenant}</c>), numbers E.164; refusals are <see cref="SandboxException"/>s of the
/// same kind whichever adapter carries them.</summary>
public interface ISandboxPhones
{
    /// <summary>A new phone, online; AlreadyExists when the tenant has the number already.</summary>
    Task<SandboxPhone> CreatePhoneAsync(string tenant, string number, CancellationToken cancellationToken = default);

    /// <summary>Links the session showing <paramref name="code"/> (a QR payload or a pairing
    /// code) to the phone, and returns the session's name.</summary>
    Task<string> ScanAsync(string tenant, string code, string number, CancellationToken cancellationToken = default);

    /// <summary>A message from the phone to the sessions linked to <paramref name="recipient"/>:
    /// a text, which may answer (<c>reply_to</c>) a message of the chat by its id, or a reaction
    /// to one; FailedPrecondition when no session is linked, InvalidArgument for content
    /// WhatsApp would refuse.</summary>
    Task<SandboxMessage> SendFromPhoneAsync(string tenant, string number, string recipient, Content content, CancellationToken cancellationToken = default);

    /// <summary>What the phone sent and received, oldest first, from position <paramref name="offset"/>.</summary>
    Task<SandboxMessagePage> ListMessagesAsync(string tenant, string number, int offset, int size, CancellationToken cancellationToken = default);

    /// <summary>Marks received messages read (every unread one when <paramref name="ids"/> is
    /// empty), sends read receipts to their senders, and returns how many changed.</summary>
    Task<int> MarkReadAsync(string tenant, string number, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default);

    /// <summary>Plays received voice notes, audio and videos (every one not played yet when
    /// <paramref name="ids"/> is empty): read receipts for those not read yet, then played
    /// receipts, go to their senders. Returns how many changed; other kinds are left alone.</summary>
    Task<int> MarkPlayedAsync(string tenant, string number, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default);

    /// <summary>Drops the live connections of the sessions linked to the number (428, as a
    /// network blip does) and returns how many; the sessions stay linked.</summary>
    Task<int> DisconnectDevicesAsync(string tenant, string number, CancellationToken cancellationToken = default);

    /// <summary>Takes the phone offline or back online; back online, what waited for it is delivered.</summary>
    Task<SandboxPhone> SetOnlineAsync(string tenant, string number, bool online, CancellationToken cancellationToken = default);
}

/// <summary>A page of a phone's messages; <paramref name="NextOffset"/> is null on the last page.</summary>
public sealed record SandboxMessagePage(IReadOnlyList<SandboxMessage> Messages, int? NextOffset);
