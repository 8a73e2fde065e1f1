using System.Globalization;
using Wagate.Contracts.Message.V1;

namespace Wagate.Data.Webhooks;

/// <summary>A webhook's filters as stored: space-separated EventType numbers and session ids,
/// empty for all.</summary>
internal static class WebhookFilters
{
    public static string EncodeTypes(IEnumerable<EventType> types) =>
        string.Join(' ', types.Select(t => (int)t).Distinct().Order().Select(t => t.ToString(CultureInfo.InvariantCulture)));

    public static IEnumerable<EventType> DecodeTypes(string types) =>
        Split(types).Select(t => (EventType)int.Parse(t, CultureInfo.InvariantCulture));

    public static string EncodeSessions(IEnumerable<string> sessionIds) => string.Join(' ', sessionIds.Distinct(StringComparer.Ordinal));

    public static IEnumerable<string> DecodeSessions(string sessions) => Split(sessions);

    public static bool Matches(string types, string sessions, EventType type, string sessionId)
    {
        var typeText = ((int)type).ToString(CultureInfo.InvariantCulture);
        return (types.Length == 0 || Split(types).Contains(typeText, StringComparer.Ordinal))
            && (sessions.Length == 0 || Split(sessions).Contains(sessionId, StringComparer.Ordinal));
    }

    private static string[] Split(string list) => list.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
