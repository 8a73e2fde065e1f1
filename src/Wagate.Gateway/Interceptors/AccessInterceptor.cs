using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Wagate.Contracts.Api.V1;
using Wagate.Core;
using Wagate.Gateway.Common;
using Wagate.Gateway.Errors;
using Wagate.Gateway.Security;

namespace Wagate.Gateway.Interceptors;

/// <summary>Authenticates the caller and enforces the RPC's <see cref="AccessPolicy"/> from the
/// contract: admin-only, owner-only, API key scope, and that a resource name in the request
/// lies in the caller's own tenant. It runs for gRPC, gRPC-Web and REST alike.</summary>
public sealed class AccessInterceptor(AccessPolicies policies, CredentialResolver credentials) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(request, context);
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(request, context);
        await continuation(request, responseStream, context);
    }

    private async Task AuthorizeAsync(object request, ServerCallContext context)
    {
        if (!policies.TryGet(context.Method, out _, out var policy))
        {
            return; // Not one of ours: health checks and reflection are public.
        }
        if (policy is null)
        {
            throw ApiErrors.PermissionDenied(ErrorReason.RoleMissing, "This method declares no access policy.");
        }
        if (policy.Anonymous)
        {
            return;
        }

        var caller = await credentials.ResolveAsync(context.RequestHeaders, context.CancellationToken);
        CallerContext.Set(context, caller);

        AccessRules.Check(policy, caller);
        if (!string.IsNullOrEmpty(policy.TenantField))
        {
            EnsureOwnTenant(request, policy.TenantField, caller);
        }
    }

    /// <summary>Answers a resource of another tenant with NOT_FOUND whether or not it exists,
    /// so that probing reveals nothing (AIP-211). Administrators may read any tenant.</summary>
    private static void EnsureOwnTenant(object request, string field, Caller caller)
    {
        var message = (IMessage)request;
        var descriptor = message.Descriptor.FindFieldByName(field)
            ?? throw new InvalidOperationException($"{message.Descriptor.FullName} has no field '{field}'.");
        var name = (string)descriptor.Accessor.GetValue(message);
        if (!ResourceNames.TryGetTenantId(name, out var tenantId))
        {
            throw ApiErrors.InvalidArgument(descriptor.JsonName,
                string.IsNullOrEmpty(name) ? "is required" : "must start with tenants/{tenant}");
        }
        if (tenantId != caller.TenantId && !caller.PlatformAdmin)
        {
            throw ApiErrors.NotFound(name);
        }
    }
}
