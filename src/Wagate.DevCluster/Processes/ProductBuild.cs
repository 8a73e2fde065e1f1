using System.Reflection;

namespace Wagate.DevCluster.Processes;

/// <summary>Where the product's hosts were built: <c>src/{Project}/bin/{Configuration}/net10.0/{Project}.dll</c>
/// below the repository root. Processes run from there, so a cluster runs exactly what was built,
/// in the configuration its caller was built with.</summary>
public sealed record ProductBuild(string RepositoryRoot, string Configuration)
{
    private const string TargetFramework = "net10.0";
    private const string RootMarker = "Gateway.sln";

    /// <summary>The build <paramref name="assembly"/> belongs to: the repository holding it and the
    /// configuration it was compiled in (a test assembly built in Release runs Release hosts).</summary>
    public static ProductBuild Of(Assembly assembly)
    {
        var configuration = assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } built
            ? built
            : throw new InvalidOperationException($"{assembly.GetName().Name} does not say which configuration built it.");
        return Locate(configuration, Path.GetDirectoryName(assembly.Location) ?? AppContext.BaseDirectory);
    }

    /// <summary>The repository that holds <paramref name="startDirectory"/> (found by its
    /// Gateway.sln), with hosts built in <paramref name="configuration"/>.</summary>
    public static ProductBuild Locate(string configuration, string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, RootMarker)))
            {
                return new ProductBuild(directory.FullName, configuration);
            }
        }
        throw new DirectoryNotFoundException($"No {RootMarker} above {startDirectory}: run from a Wagate repository.");
    }

    /// <summary>The built dll of <paramref name="project"/> (e.g. "Wagate.Gateway"); fails, saying how
    /// to build it, when it is missing.</summary>
    public string DllOf(string project)
    {
        var dll = Path.Combine(RepositoryRoot, "src", project, "bin", Configuration, TargetFramework, project + ".dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"{dll} is missing: build it first (dotnet build src/{project} -c {Configuration}).", dll);
    }

    /// <summary>The dotnet host to run dlls with: the one the SDK or test runner names, else dotnet on PATH.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet"
                ? self
                : "dotnet";
}
