namespace Wagate.Core;

/// <summary>Identifies a session on a worker: <c>tenants/{TenantId}/sessions/{SessionId}</c>.</summary>
public sealed record SessionKey(string TenantId, string SessionId)
{
    public string Name => ResourceNames.Session(TenantId, SessionId);

    public string TenantName => ResourceNames.Tenant(TenantId);

    /// <summary>The key of a session name, as <see cref="Name"/> writes it.</summary>
    /// <exception cref="ArgumentException">The name is not <c>tenants/{tenant}/sessions/{session}</c>.</exception>
    public static SessionKey Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ResourceNames.TryMatch(name, ResourceNames.SessionPattern, out var ids)
            ? new SessionKey(ids[0], ids[1])
            : throw new ArgumentException($"'{name}' is not a session name (tenants/{{tenant}}/sessions/{{session}}).", nameof(name));
    }

    public override string ToString() => Name;
}
