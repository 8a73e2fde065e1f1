using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Data;
using Wagate.Gateway.Common;
using Wagate.Gateway.Validation;

namespace Wagate.Gateway.Sessions;

internal sealed class CreateSessionValidator : IRequestValidator<CreateSessionRequest>
{
    public void Validate(CreateSessionRequest request, Violations violations)
    {
        violations.Name("parent", request.Parent, "tenants/*");
        if (!string.IsNullOrEmpty(request.SessionId) && !SessionLimits.IsValidId(request.SessionId))
        {
            violations.Add("sessionId", "must be 4 to 63 lower-case letters, digits and hyphens, starting with a letter");
        }
        if (request.Session is null)
        {
            violations.Add("session", "is required");
            return;
        }
        violations.Text("session.displayName", request.Session.DisplayName, Limits.DisplayNameLength);
        switch (request.Session.Engine)
        {
            case Engine.Sandbox:
                break;
            case Engine.Baileys:
                violations.Add("session.engine", "ENGINE_BAILEYS is not available on this installation yet; use ENGINE_SANDBOX");
                break;
            default:
                violations.Add("session.engine", "must be ENGINE_SANDBOX or ENGINE_BAILEYS");
                break;
        }
        if (request.Session.State != Session.Types.State.Unspecified || request.Session.PhoneNumber.Length > 0
            || request.Session.Worker.Length > 0 || request.Session.Name.Length > 0)
        {
            violations.Add("session", "name, state, phoneNumber and worker are set by the server and must be empty");
        }
    }
}

internal sealed class GetSessionValidator : IRequestValidator<GetSessionRequest>
{
    public void Validate(GetSessionRequest request, Violations violations) => violations.Name("name", request.Name, ResourceNames.SessionPattern);
}

internal sealed class ListSessionsValidator : IRequestValidator<ListSessionsRequest>
{
    public void Validate(ListSessionsRequest request, Violations violations) =>
        violations.Name("parent", request.Parent, "tenants/*").PageSize("pageSize", request.PageSize);
}

internal sealed class DeleteSessionValidator : IRequestValidator<DeleteSessionRequest>
{
    public void Validate(DeleteSessionRequest request, Violations violations) => violations.Name("name", request.Name, ResourceNames.SessionPattern);
}

internal sealed class GetSessionQrCodeValidator : IRequestValidator<GetSessionQrCodeRequest>
{
    public void Validate(GetSessionQrCodeRequest request, Violations violations) => violations.Name("name", request.Name, ResourceNames.SessionPattern);
}

internal sealed class RequestPairingCodeValidator : IRequestValidator<RequestPairingCodeRequest>
{
    public void Validate(RequestPairingCodeRequest request, Violations violations)
    {
        violations.Name("name", request.Name, ResourceNames.SessionPattern);
        if (string.IsNullOrWhiteSpace(request.PhoneNumber))
        {
            violations.Add("phoneNumber", "is required");
        }
        else if (!PhoneNumbers.TryNormalize(request.PhoneNumber, out _))
        {
            violations.Add("phoneNumber", PhoneNumbers.Expected);
        }
    }
}

internal sealed class LogoutSessionValidator : IRequestValidator<LogoutSessionRequest>
{
    public void Validate(LogoutSessionRequest request, Violations violations) => violations.Name("name", request.Name, ResourceNames.SessionPattern);
}

internal sealed class RestartSessionValidator : IRequestValidator<RestartSessionRequest>
{
    public void Validate(RestartSessionRequest request, Violations violations) => violations.Name("name", request.Name, ResourceNames.SessionPattern);
}

internal sealed class WatchSessionValidator : IRequestValidator<WatchSessionRequest>
{
    public void Validate(WatchSessionRequest request, Violations violations) => violations.Name("name", request.Name, ResourceNames.SessionPattern);
}
