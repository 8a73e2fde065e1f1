using Grpc.Core;
using Wagate.Data.Entities;
using Wagate.Gateway.Messaging;
using Wagate.Gateway.Tenancy;
using Xunit;

namespace Wagate.Gateway.Tests.Unit;

public sealed class SendRateLimiterTests
{
    [Fact]
    public void A_tenant_past_its_burst_is_told_when_to_retry_and_other_tenants_are_not_affected()
    {
        using var limiter = new SendRateLimiter();
        var (_, burst) = PlanLimits.SendRate(TenantPlan.Free);
        for (var i = 0; i < burst; i++)
        {
            limiter.Take("tn1", TenantPlan.Free);
        }

        var refused = Assert.Throws<RpcException>(() => limiter.Take("tn1", TenantPlan.Free));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        var retry = refused.GetRpcStatus()?.Details.Where(d => d.Is(Google.Rpc.RetryInfo.Descriptor)).Select(d => d.Unpack<Google.Rpc.RetryInfo>()).FirstOrDefault();
        Assert.NotNull(retry);
        Assert.InRange(retry.RetryDelay.ToTimeSpan(), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
        limiter.Take("tn2", TenantPlan.Free);
    }
}
