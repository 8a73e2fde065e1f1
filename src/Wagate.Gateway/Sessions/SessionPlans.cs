using Wagate.Core;
using Wagate.Data.Entities;
using Wagate.Data.Sessions;
using Wagate.Gateway.Common;

namespace Wagate.Gateway.Sessions;

/// <summary>The plan of a session's tenant, which every send asks, read at most once per
/// <see cref="Freshness"/> per session (<see cref="FreshReads{TValue}"/>). A session deleted
/// through this replica is forgotten at once; one deleted through another is still refused (no
/// longer connected, and its send's insert would find no session row). A plan changed is applied
/// within <see cref="Freshness"/>.</summary>
public sealed class SessionPlans(TimeProvider clock)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(2);

    private readonly FreshReads<Found> _plans = new(clock, Freshness, found => found.TenantId);

    private sealed record Found(string TenantId, TenantPlan Plan);

    /// <summary>Null when the tenant has no such session.</summary>
    public async Task<TenantPlan?> PlanOfAsync(GatewaySessionStore sessions, SessionKey session, CancellationToken cancellationToken) =>
        (await _plans.GetAsync(session.Name, async () =>
            await sessions.PlanOfAsync(session.TenantId, session.SessionId, cancellationToken) is { } plan ? new Found(session.TenantId, plan) : null))?.Plan;

    /// <summary>The session was deleted here.</summary>
    public void Forget(SessionKey session) => _plans.Forget(session.Name);
}
