namespace Wagate.DevCluster;

/// <summary>Where workers keep session state: an S3-compatible server (s3rver on one machine,
/// MinIO in production) and a bucket, which workers make if it is missing.</summary>
/// <param name="Endpoint">host:port, e.g. 127.0.0.1:4568.</param>
public sealed record S3Bucket(string Endpoint, string Bucket, string AccessKey, string SecretKey);
