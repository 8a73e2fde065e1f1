using Google.Protobuf.WellKnownTypes;
using Wagate.Core;
using Wagate.Data.Entities;
using Wagate.Gateway.Security;
using ApiKey = Wagate.Contracts.Tenant.V1.ApiKey;
using Plan = Wagate.Contracts.Tenant.V1.Plan;
using Tenant = Wagate.Contracts.Tenant.V1.Tenant;
using User = Wagate.Contracts.Identity.V1.User;

namespace Wagate.Gateway.Common;

/// <summary>Database rows to API messages. The only place that knows both shapes.</summary>
public static class ProtoMapping
{
    public static Tenant ToProto(this TenantRecord tenant) => new()
    {
        Name = ResourceNames.Tenant(tenant.Id),
        DisplayName = tenant.DisplayName,
        State = tenant.State switch
        {
            TenantState.Active => Tenant.Types.State.Active,
            TenantState.Suspended => Tenant.Types.State.Suspended,
            _ => Tenant.Types.State.Unspecified,
        },
        Plan = tenant.Plan.ToProto(),
        CreateTime = Timestamp.FromDateTime(Utc(tenant.CreateTime)),
        UpdateTime = Timestamp.FromDateTime(Utc(tenant.UpdateTime)),
        SuspendReason = tenant.SuspendReason,
    };

    public static Plan ToProto(this TenantPlan plan) => plan switch
    {
        TenantPlan.Free => Plan.Free,
        TenantPlan.Pro => Plan.Pro,
        TenantPlan.Enterprise => Plan.Enterprise,
        _ => Plan.Unspecified,
    };

    public static User ToProto(this UserRecord user) => new()
    {
        Name = ResourceNames.User(user.Id),
        Email = user.Email,
        DisplayName = user.DisplayName,
        Tenant = ResourceNames.Tenant(user.TenantId),
        Role = user.Role switch
        {
            UserRole.Owner => User.Types.Role.Owner,
            UserRole.Member => User.Types.Role.Member,
            _ => User.Types.Role.Unspecified,
        },
        PlatformAdmin = user.PlatformAdmin,
        CreateTime = Timestamp.FromDateTime(Utc(user.CreateTime)),
    };

    /// <summary>A key as lists show it: never the secret.</summary>
    public static ApiKey ToProto(this ApiKeyRecord key)
    {
        var proto = new ApiKey
        {
            Name = ResourceNames.ApiKey(key.TenantId, key.Id),
            DisplayName = key.DisplayName,
            KeyPrefix = ApiKeySecrets.DisplayPrefix(key.Prefix),
            CreateTime = Timestamp.FromDateTime(Utc(key.CreateTime)),
            Creator = ResourceNames.User(key.CreatorUserId),
        };
        proto.Scopes.AddRange(Scopes.Split(key.Scopes));
        if (key.LastUseTime is { } lastUse)
        {
            proto.LastUseTime = Timestamp.FromDateTime(Utc(lastUse));
        }
        return proto;
    }

    /// <summary>SQLite hands DateTime back with an unspecified kind; every stored time is UTC.</summary>
    private static DateTime Utc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc);
}
