using Grpc.Core;
using Grpc.Core.Interceptors;
using Wagate.Gateway.Validation;

namespace Wagate.Gateway.Interceptors;

/// <summary>Runs the <see cref="IRequestValidator{TRequest}"/> of the request type, if one is
/// registered, and answers INVALID_ARGUMENT with every field violation before the service runs.</summary>
public sealed class ValidationInterceptor(IServiceProvider services) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Validate(request);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Validate(request);
        return continuation(request, responseStream, context);
    }

    private void Validate<TRequest>(TRequest request)
    {
        if (services.GetService(typeof(IRequestValidator<TRequest>)) is IRequestValidator<TRequest> validator)
        {
            var violations = new Violations();
            validator.Validate(request, violations);
            violations.ThrowIfAny();
        }
    }
}
