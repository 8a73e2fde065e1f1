namespace Wagate.Core;

/// <summary>How engines name earlier messages: on WhatsApp by id; in Wagate's contract by
/// resource name, <c>tenants/{tenant}/sessions/{session}/messages/{message}</c>, whose last
/// segment is that id.</summary>
public static class MessageReferences
{
    /// <summary>The WhatsApp id in <paramref name="reference"/>: the last segment of a resource
    /// name, or the reference itself when it is a bare id.</summary>
    public static string IdOf(string reference) => ResourceNames.LastId(reference);

    /// <summary>The resource name of message <paramref name="id"/> of <paramref name="session"/>
    /// (<c>tenants/{tenant}/sessions/{session}</c>); empty for an empty id (no reference).</summary>
    public static string NameOf(string session, string id) => id.Length == 0 ? "" : $"{session}/messages/{id}";
}
