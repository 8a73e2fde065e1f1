using System.Runtime.InteropServices;
using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;

namespace Wagate.Storage;

/// <summary>Objects in one bucket of an S3-compatible server (MinIO in production). Uses only
/// single-object put, get and remove: S3 replaces an object atomically on its own, and nothing
/// here relies on listing or conditional writes, which S3-compatible servers do not all offer.</summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    /// <summary>Long enough for a slow request to start, short enough to be useless if logged.</summary>
    private const int PresignedExpirySeconds = 60;

    private readonly IMinioClient _client;
    private readonly HttpClient _http = new();
    private readonly string _bucket;

    /// <summary>A store on a bucket that already exists; nothing is sent until the first call.</summary>
    public S3BlobStore(S3BlobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bucket = options.Bucket;
        // A fixed region spares a bucket-location request before the first call.
        _client = new MinioClient()
            .WithEndpoint(options.Endpoint)
            .WithCredentials(options.AccessKey, options.SecretKey)
            .WithSSL(options.UseTls)
            .WithRegion(options.Region)
            .Build();
    }

    /// <summary>A store on <see cref="S3BlobStoreOptions.Bucket"/>, made first if it does not exist.</summary>
    public static async Task<S3BlobStore> CreateAsync(S3BlobStoreOptions options, CancellationToken cancellationToken = default)
    {
        var store = new S3BlobStore(options);
        try
        {
            await store.EnsureBucketAsync(options.Region, cancellationToken);
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        BlobKeys.Validate(key);
        using var stream = ReadOnlyStream(content);
        await _client.PutObjectAsync(new PutObjectArgs()
            .WithBucket(_bucket)
            .WithObject(key)
            .WithStreamData(stream)
            .WithObjectSize(content.Length)
            .WithContentType("application/octet-stream"), cancellationToken);
    }

    /// <remarks>A presigned URL (signed here, no request) fetched with our own client, instead of
    /// the SDK's GetObject: that one sends a HEAD first and each took about 50 ms against a server
    /// on loopback, several seconds each under load, where a plain GET takes one. A takeover loads
    /// the state of hundreds of sessions at once; those seconds were most of the failover.</remarks>
    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKeys.Validate(key);
        var url = await _client.PresignedGetObjectAsync(new PresignedGetObjectArgs()
            .WithBucket(_bucket)
            .WithObject(key)
            .WithExpiry(PresignedExpirySeconds));
        using var response = await _http.GetAsync(url, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        // Only a missing object is "nothing stored": a missing bucket (a misconfiguration) read as
        // empty would make every session start over with a QR code.
        var error = await response.Content.ReadAsStringAsync(cancellationToken);
        if (error.Contains("<Code>NoSuchKey</Code>", StringComparison.Ordinal))
        {
            return null;
        }
        if (error.Contains("<Code>NoSuchBucket</Code>", StringComparison.Ordinal))
        {
            throw new BucketNotFoundException(_bucket, $"The bucket {_bucket} does not exist.");
        }
        throw new IOException($"The S3 server answered {(int)response.StatusCode} {response.ReasonPhrase} to reading {key}.");
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKeys.Validate(key);
        // S3 answers a delete of a missing object with success, so there is nothing to catch.
        await _client.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(_bucket).WithObject(key), cancellationToken);
    }

    public void Dispose()
    {
        _http.Dispose();
        _client.Dispose();
    }

    private async Task EnsureBucketAsync(string region, CancellationToken cancellationToken)
    {
        if (await BucketExistsAsync(cancellationToken))
        {
            return;
        }
        try
        {
            await _client.MakeBucketAsync(new MakeBucketArgs().WithBucket(_bucket).WithLocation(region), cancellationToken);
        }
        catch (MinioException)
        {
            // Another replica starting at the same time may have made it between the check and here.
            if (!await BucketExistsAsync(cancellationToken))
            {
                throw;
            }
        }
    }

    private Task<bool> BucketExistsAsync(CancellationToken cancellationToken) =>
        _client.BucketExistsAsync(new BucketExistsArgs().WithBucket(_bucket), cancellationToken);

    private static MemoryStream ReadOnlyStream(ReadOnlyMemory<byte> content) =>
        MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
}
