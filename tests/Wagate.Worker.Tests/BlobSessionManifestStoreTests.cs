using System.Security.Cryptography;
using Wagate.Core;
using Wagate.Storage;
using Wagate.Testing;
using Wagate.Worker.Runtime;
using Wagate.Worker.State;

namespace Wagate.Worker.Tests;

/// <summary>The suite on the single node's manifests, in a local directory. Owning a session is
/// holding the highest token handed out for it, as the single node's router hands them out.</summary>
public sealed class BlobSessionManifestStoreTests : SessionManifestStoreConformanceTests
{
    private readonly TempDirectory _directory = new();
    private readonly LocalDirectoryBlobStore _blobs;
    private readonly BlobSessionManifestStore _manifests;
    private long _lastToken;

    public BlobSessionManifestStoreTests()
    {
        _blobs = new LocalDirectoryBlobStore(_directory.Path);
        _manifests = new BlobSessionManifestStore(_blobs, new TenantStateCipher(RandomNumberGenerator.GetBytes(32)));
    }

    protected override ISessionManifestStore Manifests => _manifests;

    protected override Task<long> HandToNewOwnerAsync(SessionKey session) => Task.FromResult(Interlocked.Increment(ref _lastToken));

    protected override Task<byte[]?> StoredAsync(SessionKey session) =>
        _blobs.GetAsync($"sessions/{session.TenantId}/{session.SessionId}/manifest");

    public override Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }
}
