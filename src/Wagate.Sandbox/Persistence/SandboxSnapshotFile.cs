using System.Text.Json;

namespace Wagate.Sandbox.Persistence;

/// <summary>Keeps a single node's sandbox network in a file: loaded at start, saved shortly
/// after each change (written to a temporary file, then renamed over the old one), and once
/// more when stopped.</summary>
public sealed class SandboxSnapshotFile : IAsyncDisposable
{
    private static readonly TimeSpan SaveInterval = TimeSpan.FromMilliseconds(250);

    private readonly SandboxNetwork _network;
    private readonly string _path;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _saving;
    private long _savedVersion;

    private SandboxSnapshotFile(SandboxNetwork network, string path)
    {
        _network = network;
        _path = path;
        _savedVersion = network.Version;
        _saving = Task.Run(SaveLoopAsync);
    }

    /// <summary>Restores the network from <paramref name="path"/> if it exists, then keeps the
    /// file up to date until disposed.</summary>
    public static SandboxSnapshotFile Attach(SandboxNetwork network, string path)
    {
        if (File.Exists(path))
        {
            var snapshot = JsonSerializer.Deserialize(File.ReadAllBytes(path), SandboxSnapshotJson.Default.SandboxSnapshot)
                ?? throw new InvalidDataException($"{path} holds no sandbox network.");
            network.Restore(snapshot);
        }
        return new SandboxSnapshotFile(network, path);
    }

    private async Task SaveLoopAsync()
    {
        using var timer = new PeriodicTimer(SaveInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                await SaveIfChangedAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the final save follows in DisposeAsync.
        }
    }

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
        await SaveIfChangedAsync();
        _stop.Dispose();
    }
}
