using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Wagate.Storage;

/// <summary>Seals session state for storage with a key per tenant, so one tenant's leaked key (or
/// a bug that mixes tenants up) never opens another tenant's state. Sealed data is
/// <c>version (1) | nonce (12) | ciphertext | tag (16)</c>, AES-256-GCM, with the object key as
/// associated data: state copied under another key does not open either.</summary>
public sealed class TenantStateCipher
{
    public const int MinimumMasterKeyLength = 32;

    private const byte FormatVersion = 1;
    private const int KeyLength = 32;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int HeaderLength = 1 + NonceLength;
    private const string KeyInfoPrefix = "wagate/session-state/v1/";

    private readonly byte[] _masterKey;
    private readonly ConcurrentDictionary<string, byte[]> _tenantKeys = new(StringComparer.Ordinal);

    public TenantStateCipher(byte[] masterKey)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        if (masterKey.Length < MinimumMasterKeyLength)
        {
            throw new ArgumentException($"The master key must be at least {MinimumMasterKeyLength} bytes.", nameof(masterKey));
        }
        _masterKey = (byte[])masterKey.Clone();
    }

    public byte[] Encrypt(string tenantId, string objectKey, ReadOnlySpan<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(objectKey);
        var sealedData = new byte[HeaderLength + plaintext.Length + TagLength];
        sealedData[0] = FormatVersion;
        var nonce = sealedData.AsSpan(1, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(TenantKey(tenantId), TagLength);
        aes.Encrypt(
            nonce,
            plaintext,
            sealedData.AsSpan(HeaderLength, plaintext.Length),
            sealedData.AsSpan(HeaderLength + plaintext.Length),
            Encoding.UTF8.GetBytes(objectKey));
        return sealedData;
    }

    /// <exception cref="StateDecryptionException">The data is not state sealed for this tenant
    /// under this object key.</exception>
    public byte[] Decrypt(string tenantId, string objectKey, ReadOnlySpan<byte> sealedData)
    {
        ArgumentNullException.ThrowIfNull(objectKey);
        var key = TenantKey(tenantId);
        if (sealedData.Length < HeaderLength + TagLength || sealedData[0] != FormatVersion)
        {
            throw new StateDecryptionException(objectKey);
        }
        var ciphertextLength = sealedData.Length - HeaderLength - TagLength;
        var plaintext = new byte[ciphertextLength];
        try
        {
            using var aes = new AesGcm(key, TagLength);
            aes.Decrypt(
                sealedData.Slice(1, NonceLength),
                sealedData.Slice(HeaderLength, ciphertextLength),
                sealedData[^TagLength..],
                plaintext,
                Encoding.UTF8.GetBytes(objectKey));
        }
        catch (AuthenticationTagMismatchException exception)
        {
            throw new StateDecryptionException(objectKey, exception);
        }
        return plaintext;
    }

    private byte[] TenantKey(string tenantId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        return _tenantKeys.GetOrAdd(tenantId, static (id, masterKey) => HKDF.DeriveKey(
            HashAlgorithmName.SHA256, masterKey, KeyLength, salt: [], info: Encoding.UTF8.GetBytes(KeyInfoPrefix + id)), _masterKey);
    }
}
