namespace Wagate.Storage;

/// <summary>Where <see cref="S3BlobStore"/> keeps its objects: one bucket of an S3-compatible
/// server (MinIO in production), addressed path-style.</summary>
public sealed class S3BlobStoreOptions
{
    /// <summary>Host and port, without scheme, e.g. "127.0.0.1:9000".</summary>
    public required string Endpoint { get; init; }

    public required string AccessKey { get; init; }

    public required string SecretKey { get; init; }

    public required string Bucket { get; init; }

    public bool UseTls { get; init; }

    public string Region { get; init; } = "us-east-1";
}
