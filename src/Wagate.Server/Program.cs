using Wagate.Gateway.Hosting;
using Wagate.Server;
using Wagate.Settings;

return await HostRun.RunAsync(async () =>
{
    var app = SingleNode.Build(args);
    await GatewayHost.InitializeAsync(app);
    await app.RunAsync();
});
