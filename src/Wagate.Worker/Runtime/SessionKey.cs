namespace Wagate.Worker.Runtime;

/// <summary>Identifies a session on a worker: <c>tenants/{TenantId}/sessions/{SessionId}</c>.</summary>
public sealed record SessionKey(string TenantId, string SessionId)
{
    public string Name => $"tenants/{TenantId}/sessions/{SessionId}";

    public string TenantName => $"tenants/{TenantId}";

    public override string ToString() => Name;
}
