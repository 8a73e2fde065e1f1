using System.Net;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wagate.Contracts.Message.V1;

namespace Wagate.Bench;

/// <summary>The ceiling the send benchmark compares the product with: a bare gRPC service in
/// the benchmark's own process (Kestrel, h2c on 127.0.0.1, no interceptors, no logging) whose one
/// unary method answers with the request it got. It carries the very SendMessageRequest the
/// product gets, so both move the same bytes through the same serialization. The method is
/// written by hand here (<c>/wagate.bench.Echo/Echo</c>), not in the product's contracts.</summary>
internal sealed class EchoServer : IAsyncDisposable
{
    private static readonly Marshaller<SendMessageRequest> Marshaller =
        Marshallers.Create(message => message.ToByteArray(), SendMessageRequest.Parser.ParseFrom);

    /// <summary>The echo method, for clients: <c>CallInvoker.AsyncUnaryCall(EchoServer.Echo, ...)</c>.</summary>
    public static readonly Method<SendMessageRequest, SendMessageRequest> Echo =
        new(MethodType.Unary, "wagate.bench.Echo", "Echo", Marshaller, Marshaller);

    private readonly WebApplication _app;

    private EchoServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where it listens, e.g. http://127.0.0.1:41234 (HTTP/2 cleartext).</summary>
    public Uri Address { get; }

    public static async Task<EchoServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IServiceMethodProvider<EchoService>, EchoMethods>();
        var app = builder.Build();
        app.MapGrpcService<EchoService>();
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new EchoServer(app, new Uri(bound));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The service type ASP.NET Core gRPC maps; its one method is added by <see cref="EchoMethods"/>.</summary>
    private sealed class EchoService;

    private sealed class EchoMethods : IServiceMethodProvider<EchoService>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<EchoService> context) =>
            context.AddUnaryMethod(Echo, [], (_, request, _) => Task.FromResult(request));
    }
}
