using System.Diagnostics;

namespace Wagate.Testing;

/// <summary>Prometheus' own linter, which tools/test installs (Debian's prometheus package). A
/// missing promtool is an error, not a reason to skip: the check would pass by not running.</summary>
public static class Promtool
{
    public const string Path = "/usr/bin/promtool";

    /// <summary>Runs <c>promtool check metrics</c> on an exposition; its exit code and what it said.</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        if (!File.Exists(Path))
        {
            throw new FileNotFoundException($"{Path} is missing; tools/test installs it (apt package prometheus)", Path);
        }
        using var process = Process.Start(new ProcessStartInfo(Path, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}
