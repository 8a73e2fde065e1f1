using Wagate.Gateway.Hosting;
using Wagate.Server;

var app = SingleNode.Build(args);
await GatewayHost.InitializeAsync(app);
await app.RunAsync();
