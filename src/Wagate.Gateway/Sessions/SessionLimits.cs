using Wagate.Core;

namespace Wagate.Gateway.Sessions;

public static class SessionLimits
{
    /// <summary>Client-chosen session ids: 4 to 63 of [a-z0-9-], starting with a letter.</summary>
    public static bool IsValidId(string id) =>
        id.Length is >= 4 and <= 63 && char.IsAsciiLetterLower(id[0]) && ResourceNames.IsId(id);
}
