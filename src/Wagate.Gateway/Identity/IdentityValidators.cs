using Wagate.Contracts.Identity.V1;
using Wagate.Data;
using Wagate.Gateway.Security;
using Wagate.Gateway.Validation;

namespace Wagate.Gateway.Identity;

internal sealed class RegisterValidator : IRequestValidator<RegisterRequest>
{
    public void Validate(RegisterRequest request, Violations violations)
    {
        violations.Email("email", request.Email)
            .Text("displayName", request.DisplayName, Limits.DisplayNameLength)
            .Text("tenantDisplayName", request.TenantDisplayName, Limits.DisplayNameLength, required: false);
        if (string.IsNullOrEmpty(request.Password))
        {
            violations.Add("password", "is required");
        }
        else if (PasswordPolicy.Weakness(request.Password, request.Email) is { } weakness)
        {
            violations.Add("password", weakness);
        }
    }
}

internal sealed class LoginValidator : IRequestValidator<LoginRequest>
{
    public void Validate(LoginRequest request, Violations violations)
    {
        violations.Email("email", request.Email);
        if (string.IsNullOrEmpty(request.Password))
        {
            violations.Add("password", "is required");
        }
        else if (request.Password.Length > PasswordPolicy.MaxLength)
        {
            violations.Add("password", $"must be at most {PasswordPolicy.MaxLength} characters");
        }
    }
}
