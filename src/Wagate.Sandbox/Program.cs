using Wagate.Sandbox.Hosting;
using Wagate.Settings;

// The sandbox network as its own process, for clusters. See Hosting/SandboxHost.cs.
return await HostRun.RunAsync(() => SandboxHost.Build(args).RunAsync());
