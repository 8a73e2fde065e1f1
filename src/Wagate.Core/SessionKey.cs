namespace Wagate.Core;

/// <summary>Identifies a session on a worker: <c>tenants/{TenantId}/sessions/{SessionId}</c>.</summary>
public sealed record SessionKey(string TenantId, string SessionId)
{
    public string Name => $"tenants/{TenantId}/sessions/{SessionId}";

    public string TenantName => $"tenants/{TenantId}";

    /// <summary>The key of a session name, as <see cref="Name"/> writes it.</summary>
    /// <exception cref="ArgumentException">The name is not <c>tenants/{tenant}/sessions/{session}</c>.</exception>
    public static SessionKey Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = name.Split('/');
        if (parts is not ["tenants", { Length: > 0 } tenantId, "sessions", { Length: > 0 } sessionId])
        {
            throw new ArgumentException($"'{name}' is not a session name (tenants/{{tenant}}/sessions/{{session}}).", nameof(name));
        }
        return new SessionKey(tenantId, sessionId);
    }

    public override string ToString() => Name;
}
