using Grpc.Core;
using Wagate.Contracts.Tenant.V1;
using Wagate.Core;
using Wagate.Gateway.Common;
using Wagate.Gateway.Security;

namespace Wagate.Gateway.Tenancy;

/// <summary>TenantService over gRPC, gRPC-Web and REST. Access and validation already ran in
/// the interceptors; tenant ids come from names the access interceptor matched to the caller.</summary>
public sealed class TenantGrpcService(TenantDirectory tenants, ApiKeyIssuer apiKeys) : TenantService.TenantServiceBase
{
    public override async Task<GetTenantResponse> GetTenant(GetTenantRequest request, ServerCallContext context) =>
        new() { Tenant = await tenants.GetAsync(TenantOf(request.Name), context.CancellationToken) };

    public override async Task<ListTenantsResponse> ListTenants(ListTenantsRequest request, ServerCallContext context)
    {
        var (page, next) = await tenants.ListAsync(request.PageSize, request.PageToken, context.CancellationToken);
        return new ListTenantsResponse { Tenants = { page }, NextPageToken = next };
    }

    public override async Task<SuspendTenantResponse> SuspendTenant(SuspendTenantRequest request, ServerCallContext context) =>
        new() { Tenant = await tenants.SuspendAsync(TenantOf(request.Name), request.Reason, context.CancellationToken) };

    public override async Task<ResumeTenantResponse> ResumeTenant(ResumeTenantRequest request, ServerCallContext context) =>
        new() { Tenant = await tenants.ResumeAsync(TenantOf(request.Name), context.CancellationToken) };

    public override async Task<GetTenantUsageResponse> GetTenantUsage(GetTenantUsageRequest request, ServerCallContext context) =>
        new() { Usage = await tenants.GetUsageAsync(TenantOf(request.Name), context.CancellationToken) };

    public override async Task<CreateApiKeyResponse> CreateApiKey(CreateApiKeyRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var created = await apiKeys.CreateAsync(TenantOf(request.Parent), caller.UserId!, request.ApiKey, context.CancellationToken);
        return new CreateApiKeyResponse { ApiKey = created };
    }

    public override async Task<ListApiKeysResponse> ListApiKeys(ListApiKeysRequest request, ServerCallContext context)
    {
        var (page, next) = await apiKeys.ListAsync(TenantOf(request.Parent), request.PageSize, request.PageToken, context.CancellationToken);
        return new ListApiKeysResponse { ApiKeys = { page }, NextPageToken = next };
    }

    public override async Task<DeleteApiKeyResponse> DeleteApiKey(DeleteApiKeyRequest request, ServerCallContext context)
    {
        var ids = ResourceNames.Ids(request.Name, "tenants/*/apiKeys/*");
        await apiKeys.DeleteAsync(ids[0], ids[1], context.CancellationToken);
        return new DeleteApiKeyResponse();
    }

    /// <summary>The validators have checked the name's shape, so this cannot fail.</summary>
    private static string TenantOf(string name)
    {
        ResourceNames.TryGetTenantId(name, out var tenantId);
        return tenantId;
    }
}
