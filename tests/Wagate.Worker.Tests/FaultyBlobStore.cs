using Wagate.Storage;

namespace Wagate.Worker.Tests;

/// <summary>A real store whose reads can be made to fail, as S3 out of reach would.</summary>
internal sealed class FaultyBlobStore(IBlobStore inner) : IBlobStore
{
    private int _failedReads;

    public volatile bool FailReads;

    /// <summary>How many reads failed so far.</summary>
    public int FailedReads => Volatile.Read(ref _failedReads);

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        inner.PutAsync(key, content, cancellationToken);

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
