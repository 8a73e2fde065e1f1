using System.Diagnostics;
using System.Globalization;

namespace Wagate.DevCluster.Processes;

/// <summary>A server process of a cluster on one machine (a product host, or etcd) with its output
/// in a log file. The handle outlives the process: it can be killed, paused, resumed, stopped and
/// started again under the same name and ports, as the failover tests need. It only ever signals
/// the process it started itself.</summary>
public abstract class ManagedProcess : IAsyncDisposable
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ProbePatience = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan KillPatience = TimeSpan.FromSeconds(10);
    private const int PortRaceAttempts = 4;

    private readonly TimeSpan _readyTimeout;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private Process? _process;
    private int? _lastExitCode;
    private int _starts;
    private bool _portsPinned;
    private bool _disposed;

    protected ManagedProcess(string name, string directory, string logPath, TimeSpan readyTimeout)
    {
        Name = name;
        Directory = directory;
        LogPath = logPath;
        _readyTimeout = readyTimeout;
    }

    /// <summary>The name in the cluster's logs and reports, e.g. "gateway-1" or "worker-2".</summary>
    public string Name { get; }

    /// <summary>The process's working directory, where it keeps its data.</summary>
    public string Directory { get; }

    /// <summary>Its stdout and stderr, across every start (each start begins with a marker line).</summary>
    public string LogPath { get; }

    /// <summary>The id of the process this handle started last; null before the first start. It is
    /// kept after the process exits, to check that it is gone.</summary>
    public int? ProcessId { get; private set; }

    /// <summary>True when no process of this handle runs: never started, stopped, killed, or exited by itself.</summary>
    public bool HasExited => _process is not { } process || process.HasExited;

    /// <summary>The exit code of the last process, once it exited.</summary>
    public int? ExitCode => _process switch
    {
        null => _lastExitCode,
        { HasExited: true } exited => exited.ExitCode,
        _ => null,
    };

    /// <summary>Whether <see cref="Pause"/> stopped the process and nothing resumed it since.</summary>
    public bool IsPaused { get; private set; }

    /// <summary>Starts the process (again, after it exited: same name, same ports) and returns once
    /// it is ready. Fails with <see cref="ProcessStartException"/>, carrying the log's tail, when it
    /// exits or is not ready within the cluster's ready timeout; the process is then killed.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (!HasExited)
            {
                throw new InvalidOperationException($"{Name} is already running (process {ProcessId}).");
            }
            for (var attempt = 1; ; attempt++)
            {
                await BeforeStartAsync(cancellationToken);
                var process = Launch();
                try
                {
                    await WaitUntilReadyAsync(process, cancellationToken);
                    _portsPinned = true; // from now on a start is a restart, on the same ports
                    return;
                }
                catch (ProcessStartException taken) when (taken.PortTaken && attempt < PortRaceAttempts && !_portsPinned && TryChooseOtherPorts())
                {
                    // Lost a race for a free port: try again on others.
                }
                catch
                {
                    KillProcess(process);
                    throw;
                }
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Asks the process to stop (SIGTERM; the product's hosts shut down gracefully, a worker
    /// leaving the cluster) and waits for it; kills it (SIGKILL) if it is still there after
    /// <paramref name="gracePeriod"/> (default 30 s). A paused process is resumed to let it stop.</summary>
    public async Task StopAsync(TimeSpan? gracePeriod = null)
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_process is not { HasExited: false } process)
            {
                return;
            }
            ProcessSignals.Send(process.Id, ProcessSignals.Terminate);
            if (IsPaused)
            {
                ProcessSignals.Send(process.Id, ProcessSignals.Continue); // the pending SIGTERM is acted on at once
                IsPaused = false;
            }
            using var patience = new CancellationTokenSource(gracePeriod ?? TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                KillProcess(process);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Kills the process at once (SIGKILL, as kill -9): no shutdown, no leaving the cluster;
    /// a worker's lease then runs out by itself. Returns once the process is gone.</summary>
    public void Kill()
    {
        if (_process is { } process)
        {
            KillProcess(process);
        }
    }

    /// <summary>Freezes the process (SIGSTOP), as a long GC pause or a stalled VM would: it keeps its
    /// connections open but answers nothing, and renews no lease.</summary>
    public void Pause()
    {
        if (_process is { HasExited: false } process && ProcessSignals.Send(process.Id, ProcessSignals.Stop))
        {
            IsPaused = true;
        }
    }

    /// <summary>Lets a paused process run again (SIGCONT).</summary>
    public void Resume()
    {
        if (_process is { HasExited: false } process)
        {
            ProcessSignals.Send(process.Id, ProcessSignals.Continue);
        }
        IsPaused = false;
    }

    /// <summary>Completes when the current process exits (at once if none runs).</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken = default) =>
        _process is { } process ? process.WaitForExitAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>The last lines of <see cref="LogPath"/>.</summary>
    public string ReadLogTail(int lines = 40) => LogTail.Read(LogPath, lines);

    public override string ToString() => ProcessId is { } id ? $"{Name} (process {id})" : Name;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await StopAsync();
        Forget();
        _lifecycle.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The program to run and its arguments.</summary>
    protected abstract IReadOnlyList<string> CommandLine();

    /// <summary>The process's settings; the launcher removes every WAGATE_* variable it would
    /// otherwise inherit, so a process runs with exactly these.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings() => new Dictionary<string, string>();

    /// <summary>One readiness probe; false or an exception means not yet.</summary>
    protected abstract Task<bool> IsReadyAsync(int processId, CancellationToken cancellationToken);

    /// <summary>Runs before each start, e.g. to wait until an earlier life of the process has left
    /// the cluster.</summary>
    protected virtual Task BeforeStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Picks other free ports after losing a race for one; false when the ports were
    /// given by the caller and must be kept.</summary>
    protected virtual bool TryChooseOtherPorts() => false;

    private Process Launch()
    {
        System.IO.Directory.CreateDirectory(Directory);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(LogPath)!);
        _starts++;
        // A marker per start: a restarted host appends to the same log.
        File.AppendAllText(LogPath, string.Create(CultureInfo.InvariantCulture,
            $"==== {Name}: start {_starts} at {DateTimeOffset.UtcNow:O} ====\n"));

        // Through sh, which execs the program (same process id) with stdout and stderr appended to the
        // log file: the server writes its log itself, so nothing depends on this process reading a
        // pipe (a launcher that is paused, busy or gone never blocks the server's logging).
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        foreach (var argument in (string[])["-c", "log=$1; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1", "sh", LogPath, .. CommandLine()])
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var inherited in start.Environment.Keys.Where(key => key.StartsWith("WAGATE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(inherited);
        }
        foreach (var (key, value) in Settings())
        {
            start.Environment[key] = value;
        }
        Forget();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{Name} did not start.");
        _process = process;
        ProcessId = process.Id;
        IsPaused = false;
        return process;
    }

    private async Task WaitUntilReadyAsync(Process process, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                var portTaken = LogTail.Read(LogPath, 20).Contains("address already in use", StringComparison.OrdinalIgnoreCase);
                throw new ProcessStartException(Name, $"exited with code {process.ExitCode} before it was ready", LogPath, portTaken);
            }
            if (started.Elapsed > _readyTimeout)
            {
                throw new ProcessStartException(Name, $"was not ready after {_readyTimeout.TotalSeconds:0} s", LogPath);
            }
            using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            probe.CancelAfter(ProbePatience);
            try
            {
                if (await IsReadyAsync(process.Id, probe.Token))
                {
                    return;
                }
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Not listening yet, or not answering yet: probe again.
            }
            await Task.Delay(ProbeInterval, cancellationToken);
        }
    }

    /// <summary>Lets go of the last process, which has exited, keeping what is still asked of it.</summary>
    private void Forget()
    {
        if (_process is { } exited)
        {
            _lastExitCode = exited.HasExited ? exited.ExitCode : null;
            exited.Dispose();
            _process = null;
        }
    }

    private void KillProcess(Process process)
    {
        if (process.HasExited)
        {
            return;
        }
        ProcessSignals.Send(process.Id, ProcessSignals.Kill);
        // SIGKILL is acted on at once, even by a paused process; waiting makes HasExited true on return.
        process.WaitForExit(KillPatience);
        IsPaused = false;
    }
}
