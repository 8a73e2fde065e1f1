using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Wagate.Storage;

/// <summary>Seals data with a key per tenant, so one tenant's leaked key (or a bug that mixes
/// tenants up) never opens another tenant's data: AES-256-GCM under a key derived (HKDF-SHA256)
/// from the master key, labelled with a purpose so that one master key can serve several
/// ciphers without reusing a key. Sealed data is <c>version (1) | nonce (12) | ciphertext | tag (16)</c>;
/// the caller's associated data binds it to where it belongs.</summary>
public sealed class TenantSealer
{
    public const int MinimumMasterKeyLength = 32;

    private const byte FormatVersion = 1;
    private const int KeyLength = 32;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int HeaderLength = 1 + NonceLength;

    private readonly byte[] _masterKey;
    private readonly string _purpose;
    private readonly ConcurrentDictionary<string, byte[]> _tenantKeys = new(StringComparer.Ordinal);

    /// <param name="purpose">The derivation label, e.g. "wagate/session-state/v1/"; never reuse one for another kind of data.</param>
    public TenantSealer(byte[] masterKey, string purpose)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        if (masterKey.Length < MinimumMasterKeyLength)
        {
            throw new ArgumentException($"The master key must be at least {MinimumMasterKeyLength} bytes.", nameof(masterKey));
        }
        _masterKey = (byte[])masterKey.Clone();
        _purpose = purpose;
    }

    public byte[] Seal(string tenantId, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var sealedData = new byte[HeaderLength + plaintext.Length + TagLength];
        sealedData[0] = FormatVersion;
        var nonce = sealedData.AsSpan(1, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(TenantKey(tenantId), TagLength);
        aes.Encrypt(nonce, plaintext, sealedData.AsSpan(HeaderLength, plaintext.Length), sealedData.AsSpan(HeaderLength + plaintext.Length), associatedData);
        return sealedData;
    }

    /// <exception cref="CryptographicException">Not data sealed for this tenant, purpose and
    /// associated data under this master key, or damaged.</exception>
    public byte[] Open(string tenantId, ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> associatedData)
    {
        var key = TenantKey(tenantId);
        if (sealedData.Length < HeaderLength + TagLength || sealedData[0] != FormatVersion)
        {
            throw new CryptographicException("The data is not sealed in a known format.");
        }
        var ciphertextLength = sealedData.Length - HeaderLength - TagLength;
        var plaintext = new byte[ciphertextLength];
        using var aes = new AesGcm(key, TagLength);
        aes.Decrypt(sealedData.Slice(1, NonceLength), sealedData.Slice(HeaderLength, ciphertextLength), sealedData[^TagLength..], plaintext, associatedData);
        return plaintext;
    }

    private byte[] TenantKey(string tenantId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        return _tenantKeys.GetOrAdd(tenantId, static (id, sealer) => HKDF.DeriveKey(
            HashAlgorithmName.SHA256, sealer._masterKey, KeyLength, salt: [], info: Encoding.UTF8.GetBytes(sealer._purpose + id)), this);
    }
}
