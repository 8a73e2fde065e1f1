using System.Security.Cryptography;
using System.Text;

namespace Wagate.Storage;

/// <summary>Seals session state for storage with a key per tenant (<see cref="TenantSealer"/>),
/// with the object key as associated data: state copied under another key does not open either.</summary>
public sealed class TenantStateCipher(byte[] masterKey)
{
    public const int MinimumMasterKeyLength = TenantSealer.MinimumMasterKeyLength;

    private readonly TenantSealer _sealer = new(masterKey, "wagate/session-state/v1/");

    public byte[] Encrypt(string tenantId, string objectKey, ReadOnlySpan<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(objectKey);
        return _sealer.Seal(tenantId, plaintext, Encoding.UTF8.GetBytes(objectKey));
    }

    /// <exception cref="StateDecryptionException">The data is not state sealed for this tenant
    /// under this object key.</exception>
    public byte[] Decrypt(string tenantId, string objectKey, ReadOnlySpan<byte> sealedData)
    {
        ArgumentNullException.ThrowIfNull(objectKey);
        try
        {
            return _sealer.Open(tenantId, sealedData, Encoding.UTF8.GetBytes(objectKey));
        }
        catch (CryptographicException exception)
        {
            throw new StateDecryptionException(objectKey, exception);
        }
    }
}
