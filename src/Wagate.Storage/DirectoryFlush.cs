using System.Runtime.InteropServices;
using System.Text;

namespace Wagate.Storage;

/// <summary>fsync of a file makes its content durable but not its name: after a crash a rename or
/// a new directory entry can be lost unless the directory that holds it is flushed as well.
/// .NET refuses to open a directory as a file, hence the direct calls to libc.</summary>
internal static class DirectoryFlush
{
    private const int ReadOnly = 0;

    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows has no handle on a directory to flush; the platform runs on Linux.
        }
        var descriptor = Open(Encoding.UTF8.GetBytes(directory + "\0"), ReadOnly);
        if (descriptor < 0)
        {
            throw Failure("open", directory);
        }
        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw Failure("fsync", directory);
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    private static IOException Failure(string call, string directory) =>
        new($"{call} of directory '{directory}' failed with errno {Marshal.GetLastPInvokeError()}.");

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] nullTerminatedUtf8Path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int descriptor);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int descriptor);
}
