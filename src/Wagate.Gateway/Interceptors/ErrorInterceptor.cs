using Grpc.Core;
using Grpc.Core.Interceptors;
using Wagate.Gateway.Errors;
using Wagate.Gateway.Http;

namespace Wagate.Gateway.Interceptors;

/// <summary>The outermost interceptor: an exception that is not already an API error is logged
/// with the request id and replaced by a bare INTERNAL error, so no exception text or stack
/// ever reaches a client.</summary>
public sealed class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception exception) when (exception is not RpcException)
        {
            throw Translate(exception, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception exception) when (exception is not RpcException)
        {
            throw Translate(exception, context);
        }
    }

    private RpcException Translate(Exception exception, ServerCallContext context)
    {
        if (exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
        {
            return new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled by the client."));
        }
        var requestId = RequestId.Of(context);
        logger.LogError(exception, "Unhandled failure in {Method}", context.Method);
        return ApiErrors.Internal(requestId);
    }
}
