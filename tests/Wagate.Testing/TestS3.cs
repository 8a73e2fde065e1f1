using Minio;
using Minio.DataModel.Args;

namespace Wagate.Testing;

/// <summary>The S3-compatible server (s3rver) tools/test starts on loopback. Each caller gets a
/// bucket of its own, so test classes never see each other's objects. s3rver accepts only its
/// fixed credentials and does not check signatures.</summary>
public static class TestS3
{
    public const string Variable = "WAGATE_TEST_S3";
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    /// <summary>Host and port, e.g. "127.0.0.1:4568".</summary>
    public static string Endpoint => TestServerVariable.Read(Variable, "s3rver");

    /// <summary>A bucket name no one has used yet; the bucket is not made.</summary>
    public static string NewBucketName() => "wagate-test-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Makes a new, empty bucket and returns its name.</summary>
    public static async Task<string> CreateBucketAsync()
    {
        var bucket = NewBucketName();
        using var client = new MinioClient()
            .WithEndpoint(Endpoint)
            .WithCredentials(AccessKey, SecretKey)
            .WithRegion("us-east-1")
            .Build();
        await client.MakeBucketAsync(new MakeBucketArgs().WithBucket(bucket));
        return bucket;
    }
}
