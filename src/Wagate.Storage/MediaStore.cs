using System.Security.Cryptography;
using System.Text;

namespace Wagate.Storage;

/// <summary>Media sent inline, kept in the blob store from the moment the gateway accepts its
/// message until WhatsApp has taken it (the database keeps only its size and SHA-256). An object
/// per message, <c>media/{tenant}/{message}</c>, so its life is the message's: the worker that
/// sends the message deletes it. Sealed with a key of the tenant's (<see cref="TenantSealer"/>)
/// bound to that name: media is customers' data, as private as their session state, and one
/// tenant's object copied under another's name does not open. Gateways and workers share the
/// master key (WAGATE_STATE_KEY) and the store.</summary>
public sealed class MediaStore(IBlobStore blobs, byte[] masterKey)
{
    private readonly TenantSealer _sealer = new(masterKey, "wagate/media/v1/");

    /// <summary>Stores the media of message <paramref name="messageId"/> durably.</summary>
    public Task PutAsync(string tenantId, string messageId, ReadOnlyMemory<byte> media, CancellationToken cancellationToken = default)
    {
        var key = KeyOf(tenantId, messageId);
        return blobs.PutAsync(key, _sealer.Seal(tenantId, media.Span, Encoding.UTF8.GetBytes(key)), cancellationToken);
    }

    /// <summary>The media of the tenant's message, or null when none is stored.</summary>
    /// <exception cref="InvalidDataException">The object is damaged or was not sealed for this
    /// tenant under this name.</exception>
    public async Task<byte[]?> GetAsync(string tenantId, string messageId, CancellationToken cancellationToken = default)
    {
        var key = KeyOf(tenantId, messageId);
        if (await blobs.GetAsync(key, cancellationToken) is not { } sealedMedia)
        {
            return null;
        }
        try
        {
            return _sealer.Open(tenantId, sealedMedia, Encoding.UTF8.GetBytes(key));
        }
        catch (CryptographicException damaged)
        {
            throw new InvalidDataException($"The media at '{key}' cannot be opened: it is damaged or was sealed for another tenant or name.", damaged);
        }
    }

    /// <summary>Forgets the media of the tenant's message; nothing stored is not an error.</summary>
    public Task DeleteAsync(string tenantId, string messageId, CancellationToken cancellationToken = default) =>
        blobs.DeleteAsync(KeyOf(tenantId, messageId), cancellationToken);

    /// <exception cref="ArgumentException">An id that is not one blob key segment.</exception>
    private static string KeyOf(string tenantId, string messageId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        var key = $"media/{tenantId}/{messageId}";
        if (tenantId.Contains('/', StringComparison.Ordinal) || messageId.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{key}' does not name one tenant's one message.", nameof(messageId));
        }
        BlobKeys.Validate(key);
        return key;
    }
}
