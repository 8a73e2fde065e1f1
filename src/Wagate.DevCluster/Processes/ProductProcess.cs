namespace Wagate.DevCluster.Processes;

/// <summary>One of the product's hosts (a gateway, a worker, the sandbox network) run from its
/// built dll with <c>dotnet</c>, configured through WAGATE_* environment variables.</summary>
public abstract class ProductProcess : ManagedProcess
{
    private readonly ProductBuild _build;
    private readonly string _project;

    /// <param name="project">The host's project under src/, e.g. "Wagate.Worker".</param>
    protected ProductProcess(string name, string project, ProductBuild build, string directory, string logPath, TimeSpan readyTimeout)
        : base(name, directory, logPath, readyTimeout)
    {
        _build = build;
        _project = project;
    }

    protected override IReadOnlyList<string> CommandLine() => [ProductBuild.DotnetHost, _build.DllOf(_project)];
}
