using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Wagate.Sandbox.Persistence;

/// <summary>Keeps a single node's sandbox network in a file: loaded at start, saved shortly
/// after each change (written to a temporary file, then renamed over the old one), and once
/// more when stopped. A save that fails (a full disk, a path that cannot be written) is logged and
/// tried again later, backing off, for as long as the network runs: the file catches up once the
/// obstacle is gone.</summary>
public sealed class SandboxSnapshotFile : IAsyncDisposable
{
    private static readonly TimeSpan SaveInterval = TimeSpan.FromMilliseconds(250);
    // Long enough not to flood the log while a disk stays full, short enough that the file
    // catches up soon after it is writable again.
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly SandboxNetwork _network;
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _saving;
    private long _savedVersion;

    private SandboxSnapshotFile(SandboxNetwork network, string path, ILogger logger)
    {
        _network = network;
        _path = path;
        _logger = logger;
        _savedVersion = network.Version;
        _saving = Task.Run(SaveLoopAsync);
    }

    /// <summary>Restores the network from <paramref name="path"/> if it exists, then keeps the
    /// file up to date until disposed.</summary>
    public static SandboxSnapshotFile Attach(SandboxNetwork network, string path, ILogger<SandboxSnapshotFile> logger)
    {
        if (File.Exists(path))
        {
            var snapshot = JsonSerializer.Deserialize(File.ReadAllBytes(path), SandboxSnapshotJson.Default.SandboxSnapshot)
                ?? throw new InvalidDataException($"{path} holds no sandbox network.");
            network.Restore(snapshot);
        }
        return new SandboxSnapshotFile(network, path, logger);
    }

    private async Task SaveLoopAsync()
    {
        var failures = 0;
        try
        {
            while (true)
            {
                await Task.Delay(failures == 0 ? SaveInterval : RetryDelay(failures), _stop.Token);
                try
                {
                    await SaveIfChangedAsync();
                    if (failures > 0)
                    {
                        _logger.LogInformation("Saved the sandbox network to {Path} again after {Failures} failed attempts", _path, failures);
                    }
                    failures = 0;
                }
                // Any failure, not only I/O: the loop must outlive whatever stops one save.
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    failures++;
                    _logger.LogWarning(exception, "Could not save the sandbox network to {Path} (attempt {Failures}); retrying in {Delay}",
                        _path, failures, RetryDelay(failures));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the final save follows in DisposeAsync.
        }
    }

    private static TimeSpan RetryDelay(int failures) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, SaveInterval.Ticks << Math.Min(failures, 16)));

    private async Task SaveIfChangedAsync()
    {
        var version = _network.Version;
        if (version == _savedVersion)
        {
            return;
        }
        var snapshot = _network.Export();
        var temporary = _path + ".tmp";
        await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(snapshot, SandboxSnapshotJson.Default.SandboxSnapshot));
        File.Move(temporary, _path, overwrite: true);
        _savedVersion = version;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _saving;
        _stop.Dispose();
        try
        {
            await SaveIfChangedAsync();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The last chance to save: say so, and let the host's shutdown report it too.
            _logger.LogError(exception, "Could not save the sandbox network to {Path} on stopping; changes since the last save are lost", _path);
            throw;
        }
    }
}
