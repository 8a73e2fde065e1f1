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

    /// <summary>Messages a tenant may send per UTC day.</summary>
    public static int MessagesPerDay(TenantPlan plan) => plan switch
    {
        TenantPlan.Free => 1_000,
        TenantPlan.Pro => 100_000,
        _ => 10_000_000,
    };

    /// <summary>Sustained SendMessage calls per second, and the burst allowed above it.</summary>
    public static (int PerSecond, int Burst) SendRate(TenantPlan plan) => plan switch
    {
        TenantPlan.Free => (5, 20),
        TenantPlan.Pro => (50, 200),
        _ => (500, 2_000),
    };
}
