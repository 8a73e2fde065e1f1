using System.Security.Cryptography;
using System.Text;
using Wagate.Gateway.Webhooks;
using Xunit;

namespace Wagate.Gateway.Tests.Webhooks;

/// <summary>What a receiver checks on every delivery, the way our documentation tells it to.</summary>
public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec_test-secret";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"cursor":"42","type":"EVENT_TYPE_MESSAGE_RECEIVED"}""");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    [Fact]
    public void The_header_is_the_timestamp_and_the_hmac_of_timestamp_dot_body_in_hex()
    {
        var header = WebhookSignature.Create(Secret, Now, Body);

        // Recomputed as a receiver in any language would.
        byte[] signed = [.. Encoding.UTF8.GetBytes("1800000000."), .. Body];
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed);
        Assert.Equal($"t=1800000000,v1={Convert.ToHexStringLower(expected)}", header);
    }

    [Fact]
    public void A_genuine_signature_verifies()
    {
        Assert.True(WebhookSignature.Verify(Secret, WebhookSignature.Create(Secret, Now, Body), Body, Now.AddSeconds(30), Tolerance));
    }

    [Fact]
    public void A_changed_body_another_secret_or_an_old_timestamp_does_not_verify()
    {
        var header = WebhookSignature.Create(Secret, Now, Body);

        Assert.False(WebhookSignature.Verify(Secret, header, [.. Body, (byte)' '], Now, Tolerance));
        Assert.False(WebhookSignature.Verify("whsec_other", header, Body, Now, Tolerance));
        Assert.False(WebhookSignature.Verify(Secret, header, Body, Now.AddMinutes(6), Tolerance));
        Assert.False(WebhookSignature.Verify(Secret, header.Replace("t=1800000000", "t=1800000001", StringComparison.Ordinal), Body, Now, Tolerance));
        Assert.False(WebhookSignature.Verify(Secret, "v1=zz,t=abc", Body, Now, Tolerance));
    }
}
