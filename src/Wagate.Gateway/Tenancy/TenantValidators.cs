using Wagate.Contracts.Tenant.V1;
using Wagate.Data;
using Wagate.Gateway.Security;
using Wagate.Gateway.Validation;

namespace Wagate.Gateway.Tenancy;

internal sealed class GetTenantValidator : IRequestValidator<GetTenantRequest>
{
    public void Validate(GetTenantRequest request, Violations violations) =>
        violations.Name("name", request.Name, "tenants/*");
}

internal sealed class ListTenantsValidator : IRequestValidator<ListTenantsRequest>
{
    public void Validate(ListTenantsRequest request, Violations violations) =>
        violations.PageSize("pageSize", request.PageSize);
}

internal sealed class SuspendTenantValidator : IRequestValidator<SuspendTenantRequest>
{
    public void Validate(SuspendTenantRequest request, Violations violations) => violations
        .Name("name", request.Name, "tenants/*")
        .Text("reason", request.Reason, Limits.ReasonLength, required: false);
}

internal sealed class ResumeTenantValidator : IRequestValidator<ResumeTenantRequest>
{
    public void Validate(ResumeTenantRequest request, Violations violations) =>
        violations.Name("name", request.Name, "tenants/*");
}

internal sealed class GetTenantUsageValidator : IRequestValidator<GetTenantUsageRequest>
{
    public void Validate(GetTenantUsageRequest request, Violations violations) =>
        violations.Name("name", request.Name, "tenants/*/usage");
}

internal sealed class CreateApiKeyValidator : IRequestValidator<CreateApiKeyRequest>
{
    public void Validate(CreateApiKeyRequest request, Violations violations)
    {
        violations.Name("parent", request.Parent, "tenants/*");
        if (request.ApiKey is null)
        {
            violations.Add("apiKey", "is required");
            return;
        }
        violations.Text("apiKey.displayName", request.ApiKey.DisplayName, Limits.DisplayNameLength);
        if (request.ApiKey.Scopes.Count == 0)
        {
            violations.Add("apiKey.scopes", $"needs at least one of: {string.Join(", ", Scopes.All)}");
        }
        for (var i = 0; i < request.ApiKey.Scopes.Count; i++)
        {
            if (!Scopes.IsKnown(request.ApiKey.Scopes[i]))
            {
                violations.Add($"apiKey.scopes[{i}]", $"'{request.ApiKey.Scopes[i]}' is not a scope; use one of: {string.Join(", ", Scopes.All)}");
            }
        }
        if (!string.IsNullOrEmpty(request.ApiKey.Key) || !string.IsNullOrEmpty(request.ApiKey.Name))
        {
            violations.Add(string.IsNullOrEmpty(request.ApiKey.Key) ? "apiKey.name" : "apiKey.key", "is assigned by the server and must be empty");
        }
    }
}

internal sealed class ListApiKeysValidator : IRequestValidator<ListApiKeysRequest>
{
    public void Validate(ListApiKeysRequest request, Violations violations) => violations
        .Name("parent", request.Parent, "tenants/*")
        .PageSize("pageSize", request.PageSize);
}

internal sealed class DeleteApiKeyValidator : IRequestValidator<DeleteApiKeyRequest>
{
    public void Validate(DeleteApiKeyRequest request, Violations violations) =>
        violations.Name("name", request.Name, "tenants/*/apiKeys/*");
}
