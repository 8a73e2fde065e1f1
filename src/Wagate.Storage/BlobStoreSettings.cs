namespace Wagate.Storage;

/// <summary>Which blob store a process uses, from its WAGATE_* settings: a local directory by
/// default, or S3 when WAGATE_BLOB_STORE=s3 (WAGATE_S3_ENDPOINT host:port, WAGATE_S3_BUCKET,
/// WAGATE_S3_ACCESS_KEY, WAGATE_S3_SECRET_KEY, WAGATE_S3_TLS).</summary>
public sealed record BlobStoreSettings(string LocalDirectory, S3BlobStoreOptions? S3)
{
    /// <param name="setting">Reads one setting by name; null when unset.</param>
    public static BlobStoreSettings From(Func<string, string?> setting, string localDirectory) => new(
        localDirectory,
        string.Equals(setting("WAGATE_BLOB_STORE"), "s3", StringComparison.OrdinalIgnoreCase)
            ? new S3BlobStoreOptions
            {
                Endpoint = setting("WAGATE_S3_ENDPOINT") ?? throw new InvalidOperationException("Set WAGATE_S3_ENDPOINT (host:port)."),
                AccessKey = setting("WAGATE_S3_ACCESS_KEY") ?? "",
                SecretKey = setting("WAGATE_S3_SECRET_KEY") ?? "",
                Bucket = setting("WAGATE_S3_BUCKET") ?? "wagate",
                UseTls = string.Equals(setting("WAGATE_S3_TLS"), "true", StringComparison.OrdinalIgnoreCase),
            }
            : null);

    /// <summary>Opens the store; for S3 the bucket is made if missing.</summary>
    public async Task<IBlobStore> OpenAsync(CancellationToken cancellationToken = default) =>
        S3 is { } s3 ? await S3BlobStore.CreateAsync(s3, cancellationToken) : new LocalDirectoryBlobStore(LocalDirectory);

    /// <summary>A base64 key setting (32 bytes or more), or null when unset.</summary>
    public static byte[]? ReadKey(Func<string, string?> setting, string name) =>
        setting(name) is { Length: > 0 } text ? Convert.FromBase64String(text) : null;
}
