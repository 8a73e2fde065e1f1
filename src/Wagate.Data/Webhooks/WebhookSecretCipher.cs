using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Wagate.Data.Webhooks;

/// <summary>Seals webhook signing secrets for the database. A secret must be read back to sign
/// every delivery, so it is encrypted rather than hashed: AES-256-GCM under a key per tenant
/// derived (HKDF-SHA256) from the master key, with the tenant and webhook ids as associated
/// data, so a ciphertext copied to another webhook or tenant does not open. Sealed data is
/// <c>version (1) | nonce (12) | ciphertext | tag (16)</c>. The derivation is labelled for
/// webhook secrets, so the master key may be shared with other ciphers without key reuse.</summary>
public sealed class WebhookSecretCipher
{
    public const int MinimumMasterKeyLength = 32;

    private const byte FormatVersion = 1;
    private const int KeyLength = 32;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int HeaderLength = 1 + NonceLength;
    private const string KeyInfoPrefix = "wagate/webhook-secret/v1/";

    private readonly byte[] _masterKey;
    private readonly ConcurrentDictionary<string, byte[]> _tenantKeys = new(StringComparer.Ordinal);

    public WebhookSecretCipher(byte[] masterKey)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        if (masterKey.Length < MinimumMasterKeyLength)
        {
            throw new ArgumentException($"The master key must be at least {MinimumMasterKeyLength} bytes.", nameof(masterKey));
        }
        _masterKey = (byte[])masterKey.Clone();
    }

    public byte[] Encrypt(string tenantId, string webhookId, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var plaintext = Encoding.UTF8.GetBytes(secret);
        var sealedData = new byte[HeaderLength + plaintext.Length + TagLength];
        sealedData[0] = FormatVersion;
        var nonce = sealedData.AsSpan(1, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(TenantKey(tenantId), TagLength);
        aes.Encrypt(nonce, plaintext, sealedData.AsSpan(HeaderLength, plaintext.Length),
            sealedData.AsSpan(HeaderLength + plaintext.Length), AssociatedData(tenantId, webhookId));
        return sealedData;
    }

    /// <exception cref="CryptographicException">Not a secret sealed for this webhook under this
    /// master key.</exception>
    public string Decrypt(string tenantId, string webhookId, byte[] sealedData)
    {
        ArgumentNullException.ThrowIfNull(sealedData);
        if (sealedData.Length < HeaderLength + TagLength || sealedData[0] != FormatVersion)
        {
            throw new CryptographicException($"The secret of webhook {webhookId} is not sealed in a known format.");
        }
        var length = sealedData.Length - HeaderLength - TagLength;
        var plaintext = new byte[length];
        using var aes = new AesGcm(TenantKey(tenantId), TagLength);
        aes.Decrypt(sealedData.AsSpan(1, NonceLength), sealedData.AsSpan(HeaderLength, length),
            sealedData.AsSpan(HeaderLength + length), plaintext, AssociatedData(tenantId, webhookId));
        return Encoding.UTF8.GetString(plaintext);
    }

    private static byte[] AssociatedData(string tenantId, string webhookId)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhookId);
        return Encoding.UTF8.GetBytes(tenantId + "/" + webhookId);
    }

    private byte[] TenantKey(string tenantId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        return _tenantKeys.GetOrAdd(tenantId, static (id, masterKey) => HKDF.DeriveKey(
            HashAlgorithmName.SHA256, masterKey, KeyLength, salt: [], info: Encoding.UTF8.GetBytes(KeyInfoPrefix + id)), _masterKey);
    }
}
