namespace Wagate.DevCluster.Processes;

/// <summary>The last lines of a log a process is still writing, for error messages: why a host
/// failed is nearly always in its last few lines.</summary>
public static class LogTail
{
    public static string Read(string path, int lines = 40)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            // Logs grow across restarts; the tail is in the last few kilobytes.
            const int window = 64 * 1024;
            stream.Seek(Math.Max(0, stream.Length - window), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd().Split('\n');
            return string.Join('\n', text.TakeLast(lines + 1)).TrimEnd();
        }
        catch (IOException unreadable)
        {
            return $"({path} could not be read: {unreadable.Message})";
        }
        catch (UnauthorizedAccessException unreadable)
        {
            return $"({path} could not be read: {unreadable.Message})";
        }
    }
}
