using Microsoft.Extensions.DependencyInjection;
using Wagate.Gateway.Security;
using Wagate.Gateway.Tests.Support;
using Wagate.Gateway.Validation;
using Xunit;

namespace Wagate.Gateway.Tests.Unit;

/// <summary>Guards against forgetting the cross-cutting parts when an RPC is added.</summary>
public sealed class ContractCoverageTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    private AccessPolicies Policies => fixture.Server.Services.GetRequiredService<AccessPolicies>();

    [Fact]
    public void Every_rpc_declares_an_access_policy()
    {
        var missing = Policies.Methods
            .Where(m => !Policies.TryGet($"/{m.Service.FullName}/{m.Name}", out _, out var policy) || policy is null)
            .Select(m => m.FullName);

        Assert.Empty(missing);
    }

    [Fact]
    public void Every_request_with_fields_has_a_validator()
    {
        var services = fixture.Server.Services;
        var missing = Policies.Methods
            .Where(m => m.InputType.Fields.InDeclarationOrder().Count > 0)
            .Where(m => services.GetService(typeof(IRequestValidator<>).MakeGenericType(m.InputType.ClrType)) is null)
            .Select(m => m.InputType.FullName);

        Assert.Empty(missing);
    }
}
