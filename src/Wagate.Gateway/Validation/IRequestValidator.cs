namespace Wagate.Gateway.Validation;

/// <summary>Checks one request type. Implementations are found by the validation
/// interceptor, so services receive only requests that passed.</summary>
public interface IRequestValidator<in TRequest>
{
    void Validate(TRequest request, Violations violations);
}
