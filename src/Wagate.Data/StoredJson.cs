using Google.Protobuf;

namespace Wagate.Data;

/// <summary>Reads the protobuf JSON kept in rows (message content, event payloads). A row may have
/// been written by another version of Wagate, during a rolling upgrade or from before a field was
/// renamed: fields this version does not know are skipped, never a reason to fail a read.</summary>
internal static class StoredJson
{
    public static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
}
