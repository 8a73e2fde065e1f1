namespace Wagate.Sandbox;

/// <summary>Sandbox phone resource names, <c>tenants/{tenant}/sandboxPhones/{digits}</c>: the
/// number without its "+", so that the name is a plain URL path.</summary>
public static class SandboxPhoneNames
{
    private const string Collection = "sandboxPhones";

    public static string Format(string tenant, string number) => $"{tenant}/{Collection}/{number.TrimStart('+')}";

    /// <summary>The tenant (<c>tenants/{tenant}</c>) and E.164 number a name stands for.</summary>
    public static bool TryParse(string name, out string tenant, out string number)
    {
        var parts = name.Split('/');
        if (parts is ["tenants", { Length: > 0 } id, Collection, { Length: > 0 } digits] && digits.All(char.IsAsciiDigit))
        {
            (tenant, number) = ($"tenants/{id}", "+" + digits);
            return true;
        }
        (tenant, number) = ("", "");
        return false;
    }
}
