using Grpc.Core;
using Wagate.Contracts.Api.V1;
using Wagate.Data.Entities;
using Wagate.Gateway.Security;
using Xunit;

namespace Wagate.Gateway.Tests.Unit;

public sealed class AccessRulesTests
{
    private static readonly Caller ReadOnlyKey = new("tn1", null, "ak1", null, false, [Scopes.SessionsRead]);
    private static readonly Caller Owner = new("tn1", "us1", null, UserRole.Owner, false, Scopes.All);
    private static readonly Caller Member = new("tn1", "us2", null, UserRole.Member, false, Scopes.All);
    private static readonly Caller Admin = new("tn0", "us0", null, UserRole.Owner, true, Scopes.All);

    [Fact]
    public void A_key_may_call_only_what_its_scopes_allow()
    {
        AccessRules.Check(new AccessPolicy { Scope = Scopes.SessionsRead }, ReadOnlyKey);

        var refused = Assert.Throws<RpcException>(() => AccessRules.Check(new AccessPolicy { Scope = Scopes.MessagesSend }, ReadOnlyKey));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("messages.send", refused.Status.Detail);
    }

    [Fact]
    public void A_user_token_carries_every_scope()
    {
        foreach (var scope in Scopes.All)
        {
            AccessRules.Check(new AccessPolicy { Scope = scope }, Member);
        }
    }

    [Fact]
    public void Owner_only_methods_refuse_members_and_keys()
    {
        var policy = new AccessPolicy { OwnerOnly = true };
        AccessRules.Check(policy, Owner);
        AccessRules.Check(policy, Admin);

        Assert.Equal(StatusCode.PermissionDenied, Assert.Throws<RpcException>(() => AccessRules.Check(policy, Member)).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, Assert.Throws<RpcException>(() => AccessRules.Check(policy, ReadOnlyKey)).StatusCode);
    }

    [Fact]
    public void Admin_only_methods_refuse_everyone_else()
    {
        var policy = new AccessPolicy { PlatformAdmin = true };
        AccessRules.Check(policy, Admin);

        Assert.Throws<RpcException>(() => AccessRules.Check(policy, Owner));
        Assert.Throws<RpcException>(() => AccessRules.Check(policy, ReadOnlyKey));
    }
}
