using Grpc.Core;

namespace Wagate.Sandbox.Grpc;

/// <summary>How <see cref="SandboxException"/> crosses the wire between the sandbox network
/// process and a cluster gateway: the server answers a refusal with its status code and the
/// kind in a trailer, the client turns that back into the same exception. Status codes alone
/// would not do: an UNAVAILABLE or NOT_FOUND from the transport or a proxy is no refusal.</summary>
internal static class SandboxRpcErrors
{
    private const string KindTrailer = "wagate-sandbox-error-kind";

    public static async Task<T> ServeAsync<T>(Func<Task<T>> handler)
    {
        try
        {
            return await handler();
        }
        catch (SandboxException refused)
        {
            throw new RpcException(new Status(CodeOf(refused.Kind), refused.Message), new Metadata { { KindTrailer, refused.Kind.ToString() } });
        }
    }

    public static async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (RpcException exception)
        {
            throw ExceptionOf(exception, cancellationToken);
        }
    }

    private static StatusCode CodeOf(SandboxErrorKind kind) => kind switch
    {
        SandboxErrorKind.NotFound => StatusCode.NotFound,
        SandboxErrorKind.AlreadyExists => StatusCode.AlreadyExists,
        SandboxErrorKind.InvalidArgument => StatusCode.InvalidArgument,
        SandboxErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
        SandboxErrorKind.Unavailable => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    /// <summary>A refusal comes back as itself; an unreachable network as Unavailable, which the
    /// caller may retry; anything else is a fault, kept away from SandboxException so that no
    /// caller mistakes it for the network's answer.</summary>
    private static Exception ExceptionOf(RpcException exception, CancellationToken cancellationToken)
    {
        if (exception.Trailers.GetValue(KindTrailer) is { } name
            && Enum.TryParse<SandboxErrorKind>(name, out var kind) && Enum.IsDefined(kind))
        {
            return new SandboxException(kind, exception.Status.Detail, exception);
        }
        return exception.StatusCode switch
        {
            StatusCode.Cancelled when cancellationToken.IsCancellationRequested =>
                new OperationCanceledException(exception.Status.Detail, exception, cancellationToken),
            StatusCode.Unavailable or StatusCode.DeadlineExceeded =>
                new SandboxException(SandboxErrorKind.Unavailable, "The sandbox network cannot be reached right now; retry shortly.", exception),
            _ => new InvalidOperationException($"The sandbox network failed the call: {exception.Status}", exception),
        };
    }
}
