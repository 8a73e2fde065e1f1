namespace Wagate.DevCluster.Processes;

/// <summary>A host that did not become ready: it exited, or did not answer in time. The message
/// carries the end of its log, where the reason usually is.</summary>
public sealed class ProcessStartException : Exception
{
    public ProcessStartException(string name, string problem, string logPath, bool portTaken = false)
        : base($"{name} {problem}. Last lines of {logPath}:\n{LogTail.Read(logPath)}")
    {
        ProcessName = name;
        LogPath = logPath;
        PortTaken = portTaken;
    }

    public string ProcessName { get; }

    public string LogPath { get; }

    /// <summary>The host said one of its ports was taken: another process bound it between the
    /// moment it was found free and the host's start.</summary>
    public bool PortTaken { get; }
}
