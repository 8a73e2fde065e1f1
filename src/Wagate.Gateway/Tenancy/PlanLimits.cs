using Wagate.Data.Entities;

namespace Wagate.Gateway.Tenancy;

/// <summary>What each plan allows.</summary>
public static class PlanLimits
{
    public static int ApiKeys(TenantPlan plan) => plan switch
    {
        TenantPlan.Free => 10,
        TenantPlan.Pro => 50,
        _ => 500,
    };

    public static int Sessions(TenantPlan plan) => plan switch
    {
        TenantPlan.Free => 5,
        TenantPlan.Pro => 100,
        _ => 5_000,
    };
}
