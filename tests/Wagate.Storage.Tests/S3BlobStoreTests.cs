using Minio.Exceptions;
using Wagate.Testing;
using Xunit;

namespace Wagate.Storage.Tests;

/// <summary>The conformance suite on the S3-compatible server tools/test starts, a bucket per
/// store, plus bucket creation.</summary>
public sealed class S3BlobStoreTests : BlobStoreConformanceTests
{
    protected override async Task<IBlobStore> CreateStoreAsync() =>
        new S3BlobStore(Options(TestS3.Endpoint, await TestS3.CreateBucketAsync()));

    protected override IBlobStore CreateUnreachableStore() =>
        new S3BlobStore(Options($"127.0.0.1:{FreePort.Next()}", TestS3.NewBucketName()));

    private static S3BlobStoreOptions Options(string endpoint, string bucket) => new()
    {
        Endpoint = endpoint,
        AccessKey = TestS3.AccessKey,
        SecretKey = TestS3.SecretKey,
        Bucket = bucket,
    };

    [Fact]
    public async Task CreateAsync_makes_a_missing_bucket()
    {
        var options = Options(TestS3.Endpoint, TestS3.NewBucketName());

        byte[] content = [1, 2, 3];

        using var store = await S3BlobStore.CreateAsync(options);
        await store.PutAsync("state/first", content);

        Assert.Equal(content, await store.GetAsync("state/first"));
    }

    [Fact]
    public async Task CreateAsync_on_an_existing_bucket_keeps_its_objects()
    {
        var options = Options(TestS3.Endpoint, await TestS3.CreateBucketAsync());
        byte[] content = [4, 5, 6];
        using (var first = await S3BlobStore.CreateAsync(options))
        {
            await first.PutAsync("state/kept", content);
        }

        using var second = await S3BlobStore.CreateAsync(options);

        Assert.Equal(content, await second.GetAsync("state/kept"));
    }

    [Fact]
    public async Task A_missing_bucket_is_an_error_not_an_empty_store()
    {
        // Reading "no state" from a misconfigured bucket would make a session start over.
        using var store = new S3BlobStore(Options(TestS3.Endpoint, TestS3.NewBucketName()));

        await Assert.ThrowsAsync<BucketNotFoundException>(() => store.GetAsync("state/any"));
    }
}
