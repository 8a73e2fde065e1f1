using Wagate.Settings;
using Wagate.Worker.Hosting;

// A cluster worker: runs sessions, serves the internal WorkerService. See Hosting/WorkerSettings.cs.
return await HostRun.RunAsync(async () =>
{
    var app = await WorkerHost.BuildAsync(args);
    await app.RunAsync();
});
