using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Wagate.Core;

/// <summary>The API's resource names (AIP-122, ../shared/API.md), formatted and parsed here and
/// nowhere else. Parsing is strict: a name that does not match its pattern exactly is not a name
/// of that resource.</summary>
public static class ResourceNames
{
    public const string TenantPattern = "tenants/*";
    public const string SessionPattern = "tenants/*/sessions/*";
    public const string MessagePattern = "tenants/*/sessions/*/messages/*";
    public const string WebhookPattern = "tenants/*/webhooks/*";
    public const string DeliveryPattern = "tenants/*/webhooks/*/deliveries/*";
    public const string SandboxPhonePattern = "tenants/*/sandboxPhones/*";
    public const string WorkerPattern = "workers/*";

    public static string Tenant(string tenantId) => $"tenants/{tenantId}";

    public static string TenantUsage(string tenantId) => $"tenants/{tenantId}/usage";

    public static string User(string userId) => $"users/{userId}";

    public static string ApiKey(string tenantId, string keyId) => $"tenants/{tenantId}/apiKeys/{keyId}";

    public static string Session(string tenantId, string sessionId) => $"tenants/{tenantId}/sessions/{sessionId}";

    public static string Message(string tenantId, string sessionId, string messageId) =>
        $"tenants/{tenantId}/sessions/{sessionId}/messages/{messageId}";

    public static string Webhook(string tenantId, string webhookId) => $"tenants/{tenantId}/webhooks/{webhookId}";

    public static string Delivery(string tenantId, string webhookId, long eventCursor) =>
        $"tenants/{tenantId}/webhooks/{webhookId}/deliveries/{eventCursor.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The tenant id of any name that starts with <c>tenants/{tenant}</c>.</summary>
    public static bool TryGetTenantId(string name, out string tenantId)
    {
        ArgumentNullException.ThrowIfNull(name);
        tenantId = "";
        var parts = name.Split('/');
        if (parts.Length < 2 || parts[0] != "tenants" || !IsId(parts[1]))
        {
            return false;
        }
        tenantId = parts[1];
        return true;
    }

    /// <summary>Matches <paramref name="name"/> against a pattern such as
    /// <c>tenants/*/apiKeys/*</c> and returns the ids in the wildcard positions.</summary>
    public static bool TryMatch(string name, string pattern, [NotNullWhen(true)] out string[]? ids)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(pattern);
        ids = null;
        var parts = name.Split('/');
        var patternParts = pattern.Split('/');
        if (parts.Length != patternParts.Length)
        {
            return false;
        }
        var found = new List<string>();
        for (var i = 0; i < parts.Length; i++)
        {
            if (patternParts[i] == "*")
            {
                if (!IsId(parts[i]))
                {
                    return false;
                }
                found.Add(parts[i]);
            }
            else if (parts[i] != patternParts[i])
            {
                return false;
            }
        }
        ids = [.. found];
        return true;
    }

    /// <summary>The ids of a name known to match <paramref name="pattern"/> (validated on the way in).</summary>
    /// <exception cref="ArgumentException">It does not match.</exception>
    public static string[] Ids(string name, string pattern) =>
        TryMatch(name, pattern, out var ids) ? ids : throw new ArgumentException($"'{name}' is not a name of the form {pattern}.", nameof(name));

    /// <summary>The last segment of a name: the id of the resource it names.</summary>
    public static string LastId(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name[(name.LastIndexOf('/') + 1)..];
    }

    /// <summary>Resource ids: 1 to 63 characters of lower-case letters, digits and hyphens,
    /// starting with a letter or digit (sandbox phones are named by their digits; ids we
    /// generate, as AIP-122 advises, start with a letter).</summary>
    public static bool IsId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.Length is >= 1 and <= 63
            && char.IsAsciiLetterOrDigit(id[0]) && !char.IsAsciiLetterUpper(id[0])
            && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
    }
}
