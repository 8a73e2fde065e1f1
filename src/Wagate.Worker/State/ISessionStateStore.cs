using Wagate.Core;
using Wagate.Engines;
using Wagate.Worker.Runtime;

namespace Wagate.Worker.State;

/// <summary>Where session state lives between connections and across workers.</summary>
public interface ISessionStateStore
{
    /// <summary>The stored state; empty for a session that never linked (or was wiped).</summary>
    Task<SessionState> LoadAsync(SessionKey session, CancellationToken cancellationToken = default);

    /// <summary>Adds a delta; durable when the task completes. A writer that no longer owns the
    /// session under <paramref name="fencingToken"/> is refused with <see cref="FencedOutException"/>,
    /// and nothing it wrote counts.</summary>
    Task AppendAsync(SessionKey session, long fencingToken, StateDelta delta, CancellationToken cancellationToken = default);

    /// <summary>Deletes everything stored for the session (logout, delete), fenced like a write:
    /// a writer that no longer owns the session under <paramref name="fencingToken"/> wipes nothing
    /// and is refused with <see cref="FencedOutException"/>; once wiped, no older owner's write
    /// brings the state back.</summary>
    Task WipeAsync(SessionKey session, long fencingToken, CancellationToken cancellationToken = default);
}

/// <summary>A write by a worker that no longer owns the session.</summary>
/// <remarks>An InvalidOperationException, so it crosses WorkerService as FAILED_PRECONDITION with its message.</remarks>
public sealed class FencedOutException(string message) : InvalidOperationException(message);
