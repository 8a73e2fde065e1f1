namespace Wagate.Gateway.Identity;

/// <summary>Emails are compared trimmed and in lower case, the form stored in the database.</summary>
public static class EmailAddress
{
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();
}
