using System.Security.Cryptography;
using Wagate.Testing;
using Xunit;

namespace Wagate.Storage.Tests;

/// <summary>Media kept between the gateway that accepts a message and the worker that sends it:
/// an object per message, sealed per tenant, gone once deleted.</summary>
public sealed class MediaStoreTests : IDisposable
{
    private static readonly byte[] MasterKey = RandomNumberGenerator.GetBytes(32);

    private readonly TempDirectory _directory = new();
    private readonly LocalDirectoryBlobStore _blobs;
    private readonly MediaStore _media;
    private readonly byte[] _picture = RandomNumberGenerator.GetBytes(50_000);

    public MediaStoreTests()
    {
        _blobs = new LocalDirectoryBlobStore(_directory.Path);
        _media = new MediaStore(_blobs, MasterKey);
    }

    [Fact]
    public async Task Media_stored_for_a_message_is_read_back_whole_by_another_process_with_the_key()
    {
        await _media.PutAsync("tn-a", "ms-1", _picture);

        var worker = new MediaStore(new LocalDirectoryBlobStore(_directory.Path), MasterKey);
        Assert.Equal(_picture, await worker.GetAsync("tn-a", "ms-1"));
    }

    [Fact]
    public async Task Media_at_rest_is_sealed_not_the_bytes_sent()
    {
        await _media.PutAsync("tn-a", "ms-1", _picture);

        var stored = await _blobs.GetAsync("media/tn-a/ms-1");
        Assert.NotNull(stored);
        Assert.True(stored.AsSpan().IndexOf(_picture.AsSpan(0, 32)) < 0, "the media is stored in the clear");
    }

    [Fact]
    public async Task Deleted_media_is_gone_and_deleting_again_is_no_error()
    {
        await _media.PutAsync("tn-a", "ms-1", _picture);

        await _media.DeleteAsync("tn-a", "ms-1");
        await _media.DeleteAsync("tn-a", "ms-1");

        Assert.Null(await _media.GetAsync("tn-a", "ms-1"));
        Assert.Null(await _blobs.GetAsync("media/tn-a/ms-1"));
    }

    [Fact]
    public async Task Another_tenant_does_not_find_a_tenants_media_under_the_same_message_id()
    {
        await _media.PutAsync("tn-a", "ms-1", _picture);

        Assert.Null(await _media.GetAsync("tn-b", "ms-1"));
    }

    [Fact]
    public async Task A_tenants_media_copied_under_another_tenants_name_does_not_open()
    {
        await _media.PutAsync("tn-a", "ms-1", _picture);
        await _blobs.PutAsync("media/tn-b/ms-1", (await _blobs.GetAsync("media/tn-a/ms-1"))!);

        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => _media.GetAsync("tn-b", "ms-1"));
        Assert.Contains("media/tn-b/ms-1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Media_under_another_master_key_does_not_open()
    {
        await _media.PutAsync("tn-a", "ms-1", _picture);

        var stranger = new MediaStore(_blobs, RandomNumberGenerator.GetBytes(32));
        await Assert.ThrowsAsync<InvalidDataException>(() => stranger.GetAsync("tn-a", "ms-1"));
    }

    [Fact]
    public async Task Media_never_stored_is_null()
    {
        Assert.Null(await _media.GetAsync("tn-a", "ms-never"));
    }

    [Theory]
    [InlineData("tn-a", "../sessions")]
    [InlineData("tn-a", "ms/1")]
    [InlineData("tn-a/../tn-b", "ms-1")]
    [InlineData("tn-a", "ms 1")]
    public async Task Ids_that_are_not_one_name_each_are_refused(string tenantId, string messageId)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _media.GetAsync(tenantId, messageId));
        await Assert.ThrowsAsync<ArgumentException>(() => _media.PutAsync(tenantId, messageId, _picture));
    }

    public void Dispose() => _directory.Dispose();
}
