namespace Wagate.Gateway.Security;

/// <summary>The API key scopes. A user access token acts with all of them.</summary>
public static class Scopes
{
    public const string SessionsRead = "sessions.read";
    public const string SessionsWrite = "sessions.write";
    public const string MessagesSend = "messages.send";
    public const string MessagesRead = "messages.read";
    public const string WebhooksManage = "webhooks.manage";

    public static readonly IReadOnlyList<string> All =
        [SessionsRead, SessionsWrite, MessagesSend, MessagesRead, WebhooksManage];

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);

    public static string Join(IEnumerable<string> scopes) => string.Join(' ', scopes.Distinct(StringComparer.Ordinal));

    public static IReadOnlyList<string> Split(string joined) =>
        joined.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
