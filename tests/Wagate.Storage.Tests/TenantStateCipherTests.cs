using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Wagate.Storage.Tests;

public sealed class TenantStateCipherTests
{
    private const string ObjectKey = "sessions/abc/7/000001";

    private static readonly byte[] MasterKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] Plaintext = Encoding.UTF8.GetBytes("{\"creds\":\"secret signal keys\"}");

    private readonly TenantStateCipher _cipher = new(MasterKey);

    [Fact]
    public void Decrypting_what_was_encrypted_returns_the_plaintext()
    {
        var sealedData = _cipher.Encrypt("tn-a", ObjectKey, Plaintext);

        Assert.Equal(Plaintext, _cipher.Decrypt("tn-a", ObjectKey, sealedData));
    }

    [Fact]
    public void Empty_state_round_trips()
    {
        var sealedData = _cipher.Encrypt("tn-a", ObjectKey, []);

        Assert.Empty(_cipher.Decrypt("tn-a", ObjectKey, sealedData));
    }

    [Fact]
    public void A_new_cipher_with_the_same_master_key_opens_earlier_state()
    {
        var sealedData = _cipher.Encrypt("tn-a", ObjectKey, Plaintext);

        Assert.Equal(Plaintext, new TenantStateCipher(MasterKey).Decrypt("tn-a", ObjectKey, sealedData));
    }

    [Fact]
    public void Two_tenants_get_different_ciphertexts_and_cannot_open_each_others()
    {
        var forA = _cipher.Encrypt("tn-a", ObjectKey, Plaintext);
        var forB = _cipher.Encrypt("tn-b", ObjectKey, Plaintext);

        Assert.NotEqual(forA, forB);
        Assert.Throws<StateDecryptionException>(() => _cipher.Decrypt("tn-b", ObjectKey, forA));
        Assert.Throws<StateDecryptionException>(() => _cipher.Decrypt("tn-a", ObjectKey, forB));
    }

    [Fact]
    public void Another_master_key_cannot_open_the_state()
    {
        var sealedData = _cipher.Encrypt("tn-a", ObjectKey, Plaintext);
        var otherMasterKey = MasterKey.Select(b => (byte)(b ^ 0xFF)).ToArray();

        Assert.Throws<StateDecryptionException>(() => new TenantStateCipher(otherMasterKey).Decrypt("tn-a", ObjectKey, sealedData));
    }

    [Fact]
    public void A_flipped_byte_anywhere_fails_decryption()
    {
        var sealedData = _cipher.Encrypt("tn-a", ObjectKey, Plaintext);

        for (var position = 0; position < sealedData.Length; position++)
        {
            var damaged = (byte[])sealedData.Clone();
            damaged[position] ^= 0x01;

            Assert.Throws<StateDecryptionException>(() => _cipher.Decrypt("tn-a", ObjectKey, damaged));
        }
    }

    [Fact]
    public void Truncated_data_fails_decryption()
    {
        var sealedData = _cipher.Encrypt("tn-a", ObjectKey, Plaintext);

        Assert.Throws<StateDecryptionException>(() => _cipher.Decrypt("tn-a", ObjectKey, sealedData.AsSpan(0, sealedData.Length - 1)));
        Assert.Throws<StateDecryptionException>(() => _cipher.Decrypt("tn-a", ObjectKey, sealedData.AsSpan(0, 20)));
        Assert.Throws<StateDecryptionException>(() => _cipher.Decrypt("tn-a", ObjectKey, []));
    }

    [Fact]
    public void The_same_ciphertext_under_another_object_key_fails()
    {
        var sealedData = _cipher.Encrypt("tn-a", ObjectKey, Plaintext);

        Assert.Throws<StateDecryptionException>(() => _cipher.Decrypt("tn-a", "sessions/abc/7/000002", sealedData));
    }

    [Fact]
    public void A_decryption_failure_names_the_object_key_but_not_the_content()
    {
        var sealedData = _cipher.Encrypt("tn-a", ObjectKey, Plaintext);

        var failure = Assert.Throws<StateDecryptionException>(() => _cipher.Decrypt("tn-b", ObjectKey, sealedData));

        Assert.Equal(ObjectKey, failure.ObjectKey);
        Assert.Contains(ObjectKey, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Encrypting_twice_gives_different_output()
    {
        var first = _cipher.Encrypt("tn-a", ObjectKey, Plaintext);
        var second = _cipher.Encrypt("tn-a", ObjectKey, Plaintext);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Sealed_data_is_version_nonce_ciphertext_tag_under_the_hkdf_tenant_key()
    {
        var sealedData = _cipher.Encrypt("tn-a", ObjectKey, Plaintext);

        var tenantKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, MasterKey, 32, [], Encoding.UTF8.GetBytes("wagate/session-state/v1/tn-a"));
        var opened = new byte[Plaintext.Length];
        using var aes = new AesGcm(tenantKey, 16);
        aes.Decrypt(sealedData.AsSpan(1, 12), sealedData.AsSpan(13, Plaintext.Length), sealedData.AsSpan(13 + Plaintext.Length), opened, Encoding.UTF8.GetBytes(ObjectKey));
        Assert.Equal(1, sealedData[0]);
        Assert.Equal(1 + 12 + Plaintext.Length + 16, sealedData.Length);
        Assert.Equal(Plaintext, opened);
    }

    [Fact]
    public void A_master_key_shorter_than_32_bytes_is_refused()
    {
        var refusal = Assert.Throws<ArgumentException>(() => new TenantStateCipher(new byte[31]));

        Assert.Equal("masterKey", refusal.ParamName);
    }
}
