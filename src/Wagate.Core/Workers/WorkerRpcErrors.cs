using Grpc.Core;

namespace Wagate.Core.Workers;

/// <summary>How the worker port's failures cross WorkerService: the server turns what a worker
/// throws into status codes, the client turns them back, so a caller catches the same
/// exceptions whether its worker runs in this process or another.</summary>
public static class WorkerRpcErrors
{
    public static async Task ServeAsync(Func<Task> handler)
    {
        try
        {
            await handler();
        }
        catch (Exception exception) when (StatusOf(exception) is { } status)
        {
            throw new RpcException(status);
        }
    }

    public static async Task<T> ServeAsync<T>(Func<Task<T>> handler)
    {
        try
        {
            return await handler();
        }
        catch (Exception exception) when (StatusOf(exception) is { } status)
        {
            throw new RpcException(status);
        }
    }

    public static async Task CallAsync(Func<Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await call();
        }
        catch (RpcException exception) when (ExceptionOf(exception, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    public static async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (RpcException exception) when (ExceptionOf(exception, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Null for failures that are not the port's own (the worker crashed, the network
    /// broke): they stay RpcExceptions for the caller to treat as an unreachable worker.</summary>
    private static Status? StatusOf(Exception exception) => exception switch
    {
        ArgumentException => new Status(StatusCode.InvalidArgument, exception.Message),
        TimeoutException => new Status(StatusCode.DeadlineExceeded, exception.Message),
        // A worker shutting down is unavailable, not in the wrong state: try another one.
        ObjectDisposedException => new Status(StatusCode.Unavailable, exception.Message),
        InvalidOperationException => new Status(StatusCode.FailedPrecondition, exception.Message),
        _ => null,
    };

    private static Exception? ExceptionOf(RpcException exception, CancellationToken cancellationToken) => exception.StatusCode switch
    {
        StatusCode.Cancelled when cancellationToken.IsCancellationRequested =>
            new OperationCanceledException(exception.Status.Detail, exception, cancellationToken),
        StatusCode.InvalidArgument => new ArgumentException(exception.Status.Detail, exception),
        StatusCode.DeadlineExceeded => new TimeoutException(exception.Status.Detail, exception),
        StatusCode.FailedPrecondition => new InvalidOperationException(exception.Status.Detail, exception),
        _ => null,
    };
}
