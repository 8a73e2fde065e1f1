using System.Security.Cryptography;
using Wagate.Data.Webhooks;
using Xunit;

namespace Wagate.Data.Tests;

/// <summary>Webhook secrets are stored sealed, and only open for the webhook they were sealed for.</summary>
public sealed class WebhookSecretCipherTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void A_sealed_secret_opens_for_its_webhook()
    {
        var cipher = new WebhookSecretCipher(Key);

        var sealedSecret = cipher.Encrypt("tn-a", "wh-1", "whsec_abc");

        Assert.Equal("whsec_abc", cipher.Decrypt("tn-a", "wh-1", sealedSecret));
        Assert.NotEqual(sealedSecret, cipher.Encrypt("tn-a", "wh-1", "whsec_abc")); // a fresh nonce each time
    }

    [Theory]
    [InlineData("tn-b", "wh-1")]
    [InlineData("tn-a", "wh-2")]
    public void A_sealed_secret_copied_to_another_webhook_or_tenant_does_not_open(string tenantId, string webhookId)
    {
        var cipher = new WebhookSecretCipher(Key);
        var sealedSecret = cipher.Encrypt("tn-a", "wh-1", "whsec_abc");

        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt(tenantId, webhookId, sealedSecret));
    }

    [Fact]
    public void Another_master_key_does_not_open_it()
    {
        var sealedSecret = new WebhookSecretCipher(Key).Encrypt("tn-a", "wh-1", "whsec_abc");

        Assert.ThrowsAny<CryptographicException>(() => new WebhookSecretCipher(RandomNumberGenerator.GetBytes(32)).Decrypt("tn-a", "wh-1", sealedSecret));
    }

    [Fact]
    public void A_short_master_key_is_refused() =>
        Assert.Throws<ArgumentException>(() => new WebhookSecretCipher(new byte[16]));
}
