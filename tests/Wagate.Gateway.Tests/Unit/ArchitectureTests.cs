using System.Reflection;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Wagate.Gateway.Hosting;
using Xunit;

namespace Wagate.Gateway.Tests.Unit;

/// <summary>The dependency graph points one way: what the gateway and the workers share lives in
/// Wagate.Core, and engines speak WhatsApp, not our database. Read from the project files, with
/// every reference followed to the end, so a reference through another project counts too.
/// Within the gateway, the use cases read and write through the stores of Wagate.Data; read from
/// the compiled types.</summary>
public sealed class ArchitectureTests
{
    private static readonly Lazy<Dictionary<string, Project>> Projects = new(ReadProjects);

    /// <summary>Hosting, not use cases: migrating at start and the readiness check are about the
    /// database itself.</summary>
    private static readonly Type[] HoldersOfTheContext = [typeof(GatewayHost), typeof(DatabaseHealthCheck)];

    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

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

    [Fact]
    public void No_gateway_class_but_the_hosting_ones_takes_the_database_context()
    {
        var holders = typeof(GatewayHost).Assembly.GetTypes()
            .Where(type => !HoldersOfTheContext.Any(holder => IsOrIsNestedIn(type, holder)))
            .SelectMany(type => ContextUses(type).Select(use => $"{type.FullName}: {use}"))
            .ToList();

        Assert.Empty(holders);
    }

    [Fact]
    public void The_context_check_sees_a_primary_constructor_parameter()
    {
        // A check that saw nothing would pass vacuously: the health check takes the context
        // the way a use case would.
        var uses = ContextUses(typeof(DatabaseHealthCheck)).ToList();

        Assert.Contains("constructor parameter db", uses);
        Assert.Contains(uses, use => use.StartsWith("field ", StringComparison.Ordinal));
    }

    /// <summary>Where <paramref name="type"/> itself (not its base) takes, keeps or hands out
    /// a database context or a factory of them: in compiled code a captured primary-constructor
    /// parameter or an async method's live local is a field too.</summary>
    private static IEnumerable<string> ContextUses(Type type)
    {
        foreach (var constructor in type.GetConstructors(Declared))
        {
            foreach (var parameter in constructor.GetParameters().Where(p => IsContext(p.ParameterType)))
            {
                yield return $"constructor parameter {parameter.Name}";
            }
        }
        foreach (var field in type.GetFields(Declared).Where(f => IsContext(f.FieldType)))
        {
            yield return $"field {field.Name}";
        }
        foreach (var property in type.GetProperties(Declared).Where(p => IsContext(p.PropertyType)))
        {
            yield return $"property {property.Name}";
        }
        foreach (var method in type.GetMethods(Declared))
        {
            if (IsContext(method.ReturnType))
            {
                yield return $"return of {method.Name}";
            }
            foreach (var parameter in method.GetParameters().Where(p => IsContext(p.ParameterType)))
            {
                yield return $"parameter {parameter.Name} of {method.Name}";
            }
        }
    }

    /// <summary>A context, or a type built of one (a factory, a task, an array of them).</summary>
    private static bool IsContext(Type type) =>
        typeof(DbContext).IsAssignableFrom(type)
        || (type.HasElementType && IsContext(type.GetElementType()!))
        || (type.IsGenericType && type.GetGenericArguments().Any(IsContext));

    private static bool IsOrIsNestedIn(Type type, Type outer)
    {
        for (Type? at = type; at is not null; at = at.DeclaringType)
        {
            if (at == outer)
            {
                return true;
            }
        }
        return false;
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
