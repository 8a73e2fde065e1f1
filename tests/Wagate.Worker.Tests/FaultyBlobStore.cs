using Wagate.Storage;

namespace Wagate.Worker.Tests;

/// <summary>A real store whose writes or reads can be made to fail, as a full disk or S3 out of
/// reach would.</summary>
internal sealed class FaultyBlobStore(IBlobStore inner) : IBlobStore
{
    private int _failedReads;

    private int _writesToFail;

    public volatile bool FailWrites;

    /// <summary>Makes the next <paramref name="count"/> writes fail, as a store's brief outage would.</summary>
    public void FailNextWrites(int count) => Volatile.Write(ref _writesToFail, count);

    /// <summary>How many of those writes have not been tried yet.</summary>
    public int WritesLeftToFail => Math.Max(0, Volatile.Read(ref _writesToFail));

    public volatile bool FailReads;

    /// <summary>How many reads failed so far.</summary>
    public int FailedReads => Volatile.Read(ref _failedReads);

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        FailWrites || Interlocked.Decrement(ref _writesToFail) >= 0
            ? throw new IOException("The store is unavailable.")
            : inner.PutAsync(key, content, cancellationToken);

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
