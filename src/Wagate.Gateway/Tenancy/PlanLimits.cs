using Wagate.Data.Entities;

namespace Wagate.Gateway.Tenancy;

/// <summary>What each plan allows. Later issues add sessions and messages here.</summary>
public static class PlanLimits
{
    public static int ApiKeys(TenantPlan plan) => plan switch
    {
        TenantPlan.Free => 10,
        TenantPlan.Pro => 50,
        _ => 500,
    };
}
