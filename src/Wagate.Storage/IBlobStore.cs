namespace Wagate.Storage;

/// <summary>Object storage for session state and media. Keys are '/'-separated paths of
/// [A-Za-z0-9._-] segments (no empty segment, no "." or ".." segment, no leading '/', at most
/// 512 chars); anything else -> <see cref="ArgumentException"/> naming the key.</summary>
public interface IBlobStore
{
    /// <summary>Creates or replaces the object atomically: readers see the old or the new content,
    /// never a mix or a partial write. Returns when the write is durable.</summary>
    Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>The content, or null if there is no such object.</summary>
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Removes the object; removing a missing object is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);
}
