using System.Xml.Linq;
using Xunit;

namespace Wagate.Gateway.Tests.Unit;

/// <summary>The dependency graph points one way: what the gateway and the workers share lives in
/// Wagate.Core, and engines speak WhatsApp, not our database. Read from the project files, with
/// every reference followed to the end, so a reference through another project counts too.</summary>
public sealed class ArchitectureTests
{
    private static readonly Lazy<Dictionary<string, Project>> Projects = new(ReadProjects);

    private static readonly string[] Checked = ["Wagate.Gateway", "Wagate.Worker", "Wagate.Engines", "Wagate.Core", "Wagate.Data"];

    [Fact]
    public void The_gateway_references_neither_the_worker_nor_an_engine()
    {
        var reached = Reachable("Wagate.Gateway").Select(p => p.Name).ToList();
        Assert.DoesNotContain("Wagate.Worker", reached);
        Assert.DoesNotContain("Wagate.Engines", reached);
    }

    [Theory]
    [InlineData("Wagate.Engines")]
    [InlineData("Wagate.Core")]
    [InlineData("Wagate.WhatsApp")]
    [InlineData("Wagate.Sandbox")]
    public void Engines_and_what_they_build_on_reference_no_database(string name)
    {
        var reached = Reachable(name).ToList();
        Assert.DoesNotContain("Wagate.Data", reached.Select(p => p.Name));
        var databasePackages = reached.SelectMany(p => p.Packages)
            .Where(package => package.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) || package.StartsWith("Npgsql", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(databasePackages);
    }

    [Fact]
    public void The_graph_has_the_projects_this_test_reasons_about()
    {
        // A renamed project would make the checks above pass vacuously.
        Assert.All(Checked,
            name => Assert.True(Projects.Value.ContainsKey(name), $"{name} is not a project under src/"));
        Assert.Contains("Wagate.Engines", Reachable("Wagate.Worker").Select(p => p.Name));
        Assert.Contains("Microsoft.EntityFrameworkCore.Relational", Reachable("Wagate.Worker").SelectMany(p => p.Packages));
    }

    /// <summary>The project and every project it references, directly or not.</summary>
    private static IEnumerable<Project> Reachable(string name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([name]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next))
            {
                continue;
            }
            var project = Projects.Value[next];
            yield return project;
            foreach (var reference in project.References)
            {
                pending.Push(reference);
            }
        }
    }

    private static Dictionary<string, Project> ReadProjects()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Gateway.sln")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        return Directory.GetFiles(Path.Combine(root.FullName, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(path =>
            {
                var xml = XDocument.Load(path);
                var references = xml.Descendants("ProjectReference")
                    .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
                    .ToList();
                var packages = xml.Descendants("PackageReference").Select(r => r.Attribute("Include")!.Value).ToList();
                return new Project(Path.GetFileNameWithoutExtension(path), references, packages);
            })
            .ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    private sealed record Project(string Name, IReadOnlyList<string> References, IReadOnlyList<string> Packages);
}
