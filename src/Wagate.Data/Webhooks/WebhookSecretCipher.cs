using System.Text;
using Wagate.Storage;

namespace Wagate.Data.Webhooks;

/// <summary>Seals webhook signing secrets for the database. A secret must be read back to sign
/// every delivery, so it is encrypted rather than hashed, with a key per tenant
/// (<see cref="TenantSealer"/>, labelled for webhook secrets, so the master key may be shared with
/// other ciphers) and the tenant and webhook ids as associated data: a ciphertext copied to
/// another webhook or tenant does not open.</summary>
public sealed class WebhookSecretCipher(byte[] masterKey)
{
    public const int MinimumMasterKeyLength = TenantSealer.MinimumMasterKeyLength;

    private readonly TenantSealer _sealer = new(masterKey, "wagate/webhook-secret/v1/");

    public byte[] Encrypt(string tenantId, string webhookId, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return _sealer.Seal(tenantId, Encoding.UTF8.GetBytes(secret), AssociatedData(tenantId, webhookId));
    }

    /// <exception cref="System.Security.Cryptography.CryptographicException">Not a secret sealed
    /// for this webhook under this master key.</exception>
    public string Decrypt(string tenantId, string webhookId, byte[] sealedData)
    {
        ArgumentNullException.ThrowIfNull(sealedData);
        return Encoding.UTF8.GetString(_sealer.Open(tenantId, sealedData, AssociatedData(tenantId, webhookId)));
    }

    private static byte[] AssociatedData(string tenantId, string webhookId)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhookId);
        return Encoding.UTF8.GetBytes(tenantId + "/" + webhookId);
    }
}
