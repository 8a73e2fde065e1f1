using Wagate.Data;

namespace Wagate.Gateway.Common;

/// <summary>The ids the gateway creates, in the one scheme of <see cref="RecordIds"/>.</summary>
public static class Ids
{
    public static string NewTenantId() => RecordIds.New("tn");

    public static string NewUserId() => RecordIds.New("us");

    public static string NewApiKeyId() => RecordIds.New("ak");

    public static string NewSessionId() => RecordIds.New("se");

    /// <summary>Random lower-case base32 text, for secrets and key prefixes.</summary>
    public static string RandomText(int length) => RecordIds.RandomText(length);
}
