using System.Diagnostics;
using System.Security.Cryptography;
using Wagate.Testing;
using Xunit;

namespace Wagate.Worker.Tests;

/// <summary>The worker process checks its settings before it does anything: one that is missing
/// or cannot be used stops it at once, with exit code 2 and a line naming the setting, instead of
/// a stack trace or a failure somewhere later.</summary>
public sealed class WorkerSettingsTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Theory]
    [InlineData("WAGATE_POSTGRES", null, "WAGATE_POSTGRES is required")]
    [InlineData("WAGATE_STATE_KEY", null, "WAGATE_STATE_KEY is required")]
    [InlineData("WAGATE_STATE_KEY", "c2hvcnQ=", "WAGATE_STATE_KEY must be at least 32 bytes")]
    [InlineData("WAGATE_WORKER_CAPACITY", "lots", "WAGATE_WORKER_CAPACITY must be a whole number, not 'lots'")]
    [InlineData("WAGATE_WORKER_PORT", "70000", "WAGATE_WORKER_PORT must be between 1 and 65535")]
    [InlineData("WAGATE_ETCD", "127.0.0.1:2379", "WAGATE_ETCD must be an http:// or https:// address")]
    [InlineData("WAGATE_SEND_TYPING_MS", "30000", "WAGATE_SEND_TYPING_MS is at most 25000")]
    [InlineData("WAGATE_BLOB_STORE", "s3", "WAGATE_S3_ENDPOINT is required")]
    public async Task A_missing_or_malformed_setting_stops_the_worker_naming_it(string setting, string? value, string line)
    {
        var settings = new Dictionary<string, string?>
        {
            ["WAGATE_STATE_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            // Never reached: the settings are checked before anything connects.
            ["WAGATE_POSTGRES"] = "Host=127.0.0.1;Port=1;Username=nobody",
            ["WAGATE_DATA_DIR"] = _data.Path,
            ["WAGATE_WORKER_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        settings[setting] = value;

        var (exitCode, errors) = await RunWorkerAsync(settings);

        Assert.Equal(2, exitCode);
        Assert.Contains(line, errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal); // one line, no stack trace
    }

    private static async Task<(int ExitCode, string Errors)> RunWorkerAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Wagate.Worker.dll"));
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("WAGATE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in settings)
        {
            if (value is not null)
            {
                start.Environment[name] = value;
            }
        }
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The worker kept running with a setting it cannot use.");
        }
        return (process.ExitCode, await errors);
    }

    public void Dispose() => _data.Dispose();
}
