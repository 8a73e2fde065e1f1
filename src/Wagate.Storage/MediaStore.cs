using System.Security.Cryptography;
using System.Text;

namespace Wagate.Storage;

/// <summary>Media sent inline, kept in the blob store between the gateway that accepts a message
/// and the worker that sends it (the database keeps only its size and SHA-256). Objects are
/// named by tenant and content, <c>media/{tenant}/{sha256}</c>, so the same file sent twice is
/// stored once, and sealed with a key of the tenant's (<see cref="TenantSealer"/>) bound to that
/// name: media is customers' data, as private as their session state, and one tenant's object
/// copied under another's name does not open. Gateways and workers share the master key
/// (WAGATE_STATE_KEY) and the store.</summary>
public sealed class MediaStore(IBlobStore blobs, byte[] masterKey)
{
    private readonly TenantSealer _sealer = new(masterKey, "wagate/media/v1/");

    /// <summary>Stores the media durably and returns its lowercase hex SHA-256, the name to fetch it by.</summary>
    public async Task<string> PutAsync(string tenantId, ReadOnlyMemory<byte> media, CancellationToken cancellationToken = default)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(media.Span));
        var key = KeyOf(tenantId, sha256);
        await blobs.PutAsync(key, _sealer.Seal(tenantId, media.Span, Encoding.UTF8.GetBytes(key)), cancellationToken);
        return sha256;
    }

    /// <summary>The media of the tenant with this SHA-256, or null when none is stored.</summary>
    /// <exception cref="InvalidDataException">The object is damaged or was not sealed for this
    /// tenant under this name.</exception>
    public async Task<byte[]?> GetAsync(string tenantId, string sha256, CancellationToken cancellationToken = default)
    {
        var key = KeyOf(tenantId, sha256);
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

    private static string KeyOf(string tenantId, string sha256)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException($"'{sha256}' is not a lowercase hex SHA-256.", nameof(sha256));
        }
        var key = $"media/{tenantId}/{sha256}";
        BlobKeys.Validate(key);
        return key;
    }
}
