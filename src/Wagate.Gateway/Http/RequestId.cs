using Grpc.Core;
using Serilog.Context;

namespace Wagate.Gateway.Http;

/// <summary>Gives every HTTP request (REST, gRPC-Web, gRPC) an id: the client's
/// <c>x-request-id</c> if it sent a sane one, otherwise a new one. It is echoed in the response
/// header, attached to every log line, and quoted in internal errors.</summary>
public static class RequestId
{
    public const string Header = "x-request-id";
    private const string ItemKey = "wagate.request-id";

    public static IApplicationBuilder UseRequestId(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var offered = http.Request.Headers[Header].ToString();
        var id = offered.Length is > 0 and <= 64 && offered.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? offered
            : Guid.NewGuid().ToString("N");
        http.Items[ItemKey] = id;
        http.Response.Headers[Header] = id;
        using (LogContext.PushProperty("RequestId", id))
        {
            await next(http);
        }
    });

    public static string Of(HttpContext http) => http.Items[ItemKey] as string ?? "none";

    public static string Of(ServerCallContext context) => Of(context.GetHttpContext());
}
