using Wagate.Sandbox.Hosting;

// The sandbox network as its own process, for clusters. See Hosting/SandboxHost.cs.
var app = SandboxHost.Build(args);
await app.RunAsync();
