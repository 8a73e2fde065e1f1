using Google.Protobuf;
using Grpc.Core;
using Wagate.Gateway.Errors;

namespace Wagate.Gateway.Http;

/// <summary>Writes an API error as the REST body outside JSON transcoding (before it runs),
/// with the status code mapping transcoding uses, so the two cannot be told apart.</summary>
public static class RestErrors
{
    private static readonly JsonFormatter Formatter =
        new(JsonFormatter.Settings.Default.WithTypeRegistry(ApiErrors.DetailTypes));

    public static async Task WriteAsync(HttpContext http, RpcException exception)
    {
        var status = exception.GetRpcStatus() ?? new Google.Rpc.Status
        {
            Code = (int)exception.StatusCode,
            Message = exception.Status.Detail,
        };
        http.Response.StatusCode = HttpStatusOf(exception.StatusCode);
        http.Response.ContentType = "application/json; charset=utf-8";
        // Re-written compactly, as JSON transcoding writes its errors.
        await http.Response.WriteAsync(System.Text.Json.Nodes.JsonNode.Parse(Formatter.Format(status))!.ToJsonString());
    }

    /// <summary>A REST path no method serves: 404 with the usual error body, not an empty page.</summary>
    public static Task UnknownPathAsync(HttpContext http) => WriteAsync(http, ApiErrors.Build(
        Google.Rpc.Code.NotFound, ErrorReason.UnknownPath,
        $"No method serves {http.Request.Method} {http.Request.Path}; see /openapi/v1.json."));

    public static int HttpStatusOf(StatusCode code) => code switch
    {
        StatusCode.OK => StatusCodes.Status200OK,
        StatusCode.Cancelled => StatusCodes.Status408RequestTimeout,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.AlreadyExists or StatusCode.Aborted => StatusCodes.Status409Conflict,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        StatusCode.Unimplemented => StatusCodes.Status501NotImplemented,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
