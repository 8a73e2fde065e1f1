using Wagate.Storage;

namespace Wagate.Worker.Tests;

/// <summary>A real store whose writes or reads can be made to fail, as a full disk or S3 out of
/// reach would.</summary>
internal sealed class FaultyBlobStore(IBlobStore inner) : IBlobStore
{
    private int _failedReads;

    public volatile bool FailWrites;

    public volatile bool FailReads;

    /// <summary>How many reads failed so far.</summary>
    public int FailedReads => Volatile.Read(ref _failedReads);

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        FailWrites ? throw new IOException("The store is unavailable.") : inner.PutAsync(key, content, cancellationToken);

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        if (FailReads)
        {
            Interlocked.Increment(ref _failedReads);
            throw new IOException("The store is out of reach.");
        }
        return inner.GetAsync(key, cancellationToken);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);
}
