using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Wagate.Gateway.Errors;

namespace Wagate.Gateway.Tests.Support;

/// <summary>One REST call as a client writes it: proto3 JSON in, proto3 JSON out (parsed
/// strictly, so an unexpected field fails the test), errors as a google.rpc.Status body.</summary>
public static class RestTransport
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(ApiErrors.DetailTypes));

    public static async Task<T> SendAsync<T>(HttpClient http, HttpMethod method, string path, IMessage? body, Credential credential, MessageParser<T> parser)
        where T : IMessage<T>
    {
        using var request = Build(method, path, credential);
        if (body is not null)
        {
            request.Content = new StringContent(JsonFormatter.Default.Format(body), Encoding.UTF8, "application/json");
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            var status = Parser.Parse<Google.Rpc.Status>(text);
            throw new ApiCallException((StatusCode)status.Code, status, (int)response.StatusCode);
        }
        return (T)Parser.Parse(text, parser.ParseFrom([]).Descriptor);
    }

    public static HttpRequestMessage Build(HttpMethod method, string path, Credential credential)
    {
        var request = new HttpRequestMessage(method, path);
        if (credential.AccessToken is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (credential.ApiKey is { } key)
        {
            request.Headers.Add("x-api-key", key);
        }
        return request;
    }
}

/// <summary>One gRPC call, its failure turned into the protocol-neutral <see cref="ApiCallException"/>.</summary>
public static class GrpcCall
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException exception)
        {
            throw new ApiCallException(exception.StatusCode, exception.GetRpcStatus(), httpStatus: null);
        }
    }
}
