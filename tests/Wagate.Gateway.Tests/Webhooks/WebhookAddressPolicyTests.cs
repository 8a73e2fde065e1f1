using System.Net;
using Wagate.Gateway.Webhooks;
using Xunit;

namespace Wagate.Gateway.Tests.Webhooks;

/// <summary>Webhooks cannot be aimed at our own network (server-side request forgery).</summary>
public sealed class WebhookAddressPolicyTests
{
    private static readonly WebhookAddressPolicy Strict = new(allowPrivateAddresses: false);
    private static readonly WebhookAddressPolicy Development = new(allowPrivateAddresses: true);

    [Theory]
    [InlineData("https://hooks.example.com/wagate")]
    [InlineData("https://hooks.example.com:8443/wagate?tenant=1")]
    [InlineData("https://93.184.216.34/hook")]
    public void Public_https_urls_are_accepted(string url) => Assert.Null(Strict.ProblemWith(url));

    [Theory]
    [InlineData("http://hooks.example.com/wagate", "https")]
    [InlineData("ftp://hooks.example.com/wagate", "https")]
    [InlineData("/relative", "https")]
    [InlineData("https://user:pass@hooks.example.com/", "password")]
    [InlineData("https://localhost/hook", "private")]
    [InlineData("https://127.0.0.1:2379/v3/kv/range", "private")]
    [InlineData("https://169.254.169.254/latest/meta-data", "private")]
    [InlineData("https://10.0.0.5/hook", "private")]
    [InlineData("https://[::1]/hook", "private")]
    [InlineData("https://[fd00::1]/hook", "private")]
    public void Other_urls_are_refused_saying_why(string url, string why) => Assert.Contains(why, Strict.ProblemWith(url));

    [Fact]
    public void With_private_addresses_allowed_plain_http_to_loopback_is_fine_but_not_to_the_internet()
    {
        Assert.Null(Development.ProblemWith("http://127.0.0.1:9000/hook"));
        Assert.Contains("https", Development.ProblemWith("http://hooks.example.com/wagate"));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.1.1", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("2606:4700::1111", false)]
    [InlineData("fe80::1", true)]
    public void Private_addresses_are_recognised(string address, bool isPrivate)
    {
        Assert.Equal(isPrivate, WebhookAddressPolicy.IsPrivate(IPAddress.Parse(address)));
        Assert.Equal(!isPrivate, Strict.Allows(IPAddress.Parse(address)));
    }
}
