using Wagate.Worker.Hosting;

// A cluster worker: runs sessions, serves the internal WorkerService. See Hosting/WorkerSettings.cs.
var app = await WorkerHost.BuildAsync(args);
await app.RunAsync();
