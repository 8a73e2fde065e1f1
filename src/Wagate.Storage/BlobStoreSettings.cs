using Wagate.Settings;

namespace Wagate.Storage;

/// <summary>Which blob store a process uses, from its WAGATE_* settings: a local directory by
/// default, or S3 when WAGATE_BLOB_STORE=s3 (WAGATE_S3_ENDPOINT host:port, WAGATE_S3_BUCKET,
/// WAGATE_S3_ACCESS_KEY, WAGATE_S3_SECRET_KEY, WAGATE_S3_TLS).</summary>
public sealed record BlobStoreSettings(string LocalDirectory, S3BlobStoreOptions? S3)
{
    public static BlobStoreSettings From(SettingReader settings, string localDirectory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var kind = settings.Text("WAGATE_BLOB_STORE")?.ToUpperInvariant();
        if (kind is not (null or "S3" or "LOCAL"))
        {
            throw new InvalidSettingException("WAGATE_BLOB_STORE", $"must be s3 or local, not '{settings.Text("WAGATE_BLOB_STORE")}'");
        }
        return new(localDirectory, kind == "S3"
            ? new S3BlobStoreOptions
            {
                Endpoint = settings.Required("WAGATE_S3_ENDPOINT", "the S3 server, host:port, when WAGATE_BLOB_STORE=s3"),
                AccessKey = settings.Text("WAGATE_S3_ACCESS_KEY") ?? "",
                SecretKey = settings.Text("WAGATE_S3_SECRET_KEY") ?? "",
                Bucket = settings.Text("WAGATE_S3_BUCKET") ?? "wagate",
                UseTls = settings.Flag("WAGATE_S3_TLS"),
            }
            : null);
    }

    /// <summary>Opens the store; for S3 the bucket is made if missing.</summary>
    public async Task<IBlobStore> OpenAsync(CancellationToken cancellationToken = default) =>
        S3 is { } s3 ? await S3BlobStore.CreateAsync(s3, cancellationToken) : new LocalDirectoryBlobStore(LocalDirectory);

}
