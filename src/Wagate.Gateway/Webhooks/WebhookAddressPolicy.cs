using System.Net;
using System.Net.Sockets;

namespace Wagate.Gateway.Webhooks;

/// <summary>Where webhooks may point. A customer's URL is fetched from inside our network, so
/// without this a webhook could reach our own databases, etcd or a cloud metadata service
/// (server-side request forgery). URLs must be https to a public address; loopback and private
/// addresses are refused unless the platform allows them (WAGATE_WEBHOOK_ALLOW_LOOPBACK=1, for
/// development and tests), and then plain http is allowed to them too. The check runs when a
/// webhook is created and again on every connection, against the address actually connected
/// to, so a name that later resolves to a private address (DNS rebinding) is refused as well.</summary>
public sealed class WebhookAddressPolicy(bool allowPrivateAddresses)
{
    public bool AllowsPrivateAddresses => allowPrivateAddresses;

    /// <summary>Null when the URL may be used, else what is wrong with it.</summary>
    public string? ProblemWith(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return "must be an absolute https URL";
        }
        if (uri.UserInfo.Length > 0)
        {
            return "must not carry a user name or password; authenticate by the signature";
        }
        if (uri.Fragment.Length > 0)
        {
            return "must not have a fragment";
        }
        var literal = IPAddress.TryParse(uri.IdnHost, out var address) ? address : null;
        var local = uri.IsLoopback || (literal is not null && IsPrivate(literal));
        if (local && !allowPrivateAddresses)
        {
            return "points at a loopback or private address, which webhooks may not reach";
        }
        if (uri.Scheme == "http" && !(local && allowPrivateAddresses))
        {
            return "must use https";
        }
        return null;
    }

    /// <summary>Whether a connection to <paramref name="address"/> may be made.</summary>
    public bool Allows(IPAddress address) => allowPrivateAddresses || !IsPrivate(address);

    /// <summary>Loopback, private (RFC 1918, unique local), link-local (cloud metadata lives at
    /// 169.254.169.254), carrier-grade NAT, unspecified, multicast: anything not on the internet.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
        }
        var b = address.GetAddressBytes();
        return b[0] switch
        {
            0 or 10 or 127 => true,
            100 => b[1] is >= 64 and <= 127,
            169 => b[1] == 254,
            172 => b[1] is >= 16 and <= 31,
            192 => b[1] == 168 || (b[1] == 0 && b[2] == 0),
            >= 224 => true,
            _ => false,
        };
    }
}
