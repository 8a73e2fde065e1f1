using System.Runtime.InteropServices;

namespace Wagate.DevCluster.Processes;

/// <summary>POSIX signals to a child process by its id. .NET offers only SIGKILL
/// (<see cref="System.Diagnostics.Process.Kill()"/>); pausing (SIGSTOP), resuming (SIGCONT) and a
/// graceful stop (SIGTERM, which the hosts answer by shutting down cleanly) need kill(2).
/// Numbers are Linux's.</summary>
internal static class ProcessSignals
{
    public const int Kill = 9;
    public const int Terminate = 15;
    public const int Continue = 18;
    public const int Stop = 19;

    private const int NoSuchProcess = 3; // ESRCH

    /// <summary>Sends <paramref name="signal"/>; false when the process is already gone.</summary>
    public static bool Send(int processId, int signal)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The cluster launcher signals processes the Linux way.");
        }
        if (NativeMethods.kill(processId, signal) == 0)
        {
            return true;
        }
        var error = Marshal.GetLastPInvokeError();
        return error == NoSuchProcess
            ? false
            : throw new InvalidOperationException($"kill({processId}, {signal}) failed with errno {error}.");
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code enabled for one int call
        public static extern int kill(int pid, int sig);
#pragma warning restore SYSLIB1054
    }
}
