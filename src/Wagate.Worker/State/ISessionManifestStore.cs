using Wagate.Core;
using Wagate.Worker.Runtime;

namespace Wagate.Worker.State;

/// <summary>Where a session's manifest is committed: the one record that names the immutable objects
/// making up the session's state. A state write counts once a manifest naming it is committed, so
/// this is the step that is fenced: a writer that no longer owns the session commits nothing, and the
/// objects it wrote stay orphans that no manifest names.</summary>
public interface ISessionManifestStore
{
    /// <summary>The last committed manifest; null when there is none (never committed, or deleted).</summary>
    Task<byte[]?> ReadAsync(SessionKey session, CancellationToken cancellationToken = default);

    /// <summary>Replaces the manifest, only while the writer holding <paramref name="fencingToken"/>
    /// (positive) still owns the session. False, with nothing changed, when it does not.</summary>
    Task<bool> CommitAsync(SessionKey session, long fencingToken, byte[] manifest, CancellationToken cancellationToken = default);

    /// <summary>Removes the manifest (logout, delete), only while the writer holding
    /// <paramref name="fencingToken"/> still owns the session; false, with nothing changed, when it
    /// does not. Afterwards no commit of an older owner counts, so wiped credentials cannot come
    /// back; a newer owner (the session created again) commits as usual. Removing a missing
    /// manifest is not an error.</summary>
    Task<bool> DeleteAsync(SessionKey session, long fencingToken, CancellationToken cancellationToken = default);
}
