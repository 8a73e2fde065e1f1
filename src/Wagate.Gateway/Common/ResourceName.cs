namespace Wagate.Gateway.Common;

/// <summary>Builds and parses AIP resource names. Parsing is strict: a name that does not
/// match its pattern exactly is not a name of that resource.</summary>
public static class ResourceName
{
    public static string Tenant(string tenantId) => $"tenants/{tenantId}";

    public static string TenantUsage(string tenantId) => $"tenants/{tenantId}/usage";

    public static string User(string userId) => $"users/{userId}";

    public static string ApiKey(string tenantId, string keyId) => $"tenants/{tenantId}/apiKeys/{keyId}";

    /// <summary>The tenant id of any name that starts with <c>tenants/{tenant}</c>.</summary>
    public static bool TryGetTenantId(string name, out string tenantId)
    {
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
    public static bool TryMatch(string name, string pattern, out string[] ids)
    {
        ids = [];
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

    /// <summary>Resource ids: 1 to 63 characters of lower-case letters, digits and hyphens,
    /// starting with a letter or digit (sandbox phones are named by their digits; ids we
    /// generate, as AIP-122 advises, start with a letter).</summary>
    public static bool IsId(string id) =>
        id.Length is >= 1 and <= 63
        && char.IsAsciiLetterOrDigit(id[0]) && !char.IsAsciiLetterUpper(id[0])
        && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
