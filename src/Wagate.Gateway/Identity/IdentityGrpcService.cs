using Grpc.Core;
using Wagate.Contracts.Identity.V1;
using Wagate.Gateway.Errors;
using Wagate.Gateway.Security;

namespace Wagate.Gateway.Identity;

/// <summary>IdentityService over gRPC, gRPC-Web and REST.</summary>
public sealed class IdentityGrpcService(AccountService accounts) : IdentityService.IdentityServiceBase
{
    public override Task<RegisterResponse> Register(RegisterRequest request, ServerCallContext context) =>
        accounts.RegisterAsync(request, context.CancellationToken);

    public override Task<LoginResponse> Login(LoginRequest request, ServerCallContext context)
    {
        var address = context.GetHttpContext().Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return accounts.LoginAsync(request, address, context.CancellationToken);
    }

    public override async Task<GetCurrentUserResponse> GetCurrentUser(GetCurrentUserRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        if (!caller.IsUser)
        {
            throw ApiErrors.PermissionDenied(ErrorReason.RoleMissing,
                "An API key acts for a tenant, not a user; use an access token to read users/me.");
        }
        return new GetCurrentUserResponse { User = await accounts.GetUserAsync(caller.TenantId, caller.UserId!, context.CancellationToken) };
    }
}
