using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Wagate.Gateway.Interceptors;

/// <summary>Logs one structured line per RPC: method, outcome and duration. Request
/// and response bodies are never logged, since they carry passwords and keys.</summary>
public sealed class CallLoggingInterceptor(ILogger<CallLoggingInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await continuation(request, context);
            Log(context, StatusCode.OK, started);
            return response;
        }
        catch (RpcException exception)
        {
            Log(context, exception.StatusCode, started);
            throw;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await continuation(request, responseStream, context);
            Log(context, StatusCode.OK, started);
        }
        catch (RpcException exception)
        {
            Log(context, exception.StatusCode, started);
            throw;
        }
    }

    private void Log(ServerCallContext context, StatusCode status, long started)
    {
        var level = status is StatusCode.Internal or StatusCode.Unknown or StatusCode.DataLoss
            ? LogLevel.Error
            : LogLevel.Information;
        // The request id is attached to every line by the request-id middleware's log context.
        logger.Log(level, "RPC {Method} finished {StatusCode} in {ElapsedMs:0.0} ms",
            context.Method, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
