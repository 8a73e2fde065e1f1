namespace Wagate.Testing;

/// <summary>Where tools/test tells the tests how to reach the servers it started.</summary>
internal static class TestServerVariable
{
    public static string Read(string variable, string server) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set: run the tests through tools/test, which starts {server}.");
}
