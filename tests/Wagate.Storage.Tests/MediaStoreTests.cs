using System.Security.Cryptography;
using Wagate.Testing;
using Xunit;

namespace Wagate.Storage.Tests;

/// <summary>Media kept between the gateway that accepts a message and the worker that sends it:
/// named by tenant and content, sealed per tenant.</summary>
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
    public async Task Media_is_named_by_its_sha256_and_read_back_whole_by_another_process_with_the_key()
    {
        var sha256 = await _media.PutAsync("tn-a", _picture);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(_picture)), sha256);
        var worker = new MediaStore(new LocalDirectoryBlobStore(_directory.Path), MasterKey);
        Assert.Equal(_picture, await worker.GetAsync("tn-a", sha256));
    }

    [Fact]
    public async Task Media_at_rest_is_sealed_not_the_bytes_sent()
    {
        var sha256 = await _media.PutAsync("tn-a", _picture);

        var stored = await _blobs.GetAsync($"media/tn-a/{sha256}");
        Assert.NotNull(stored);
        Assert.True(stored.AsSpan().IndexOf(_picture.AsSpan(0, 32)) < 0, "the media is stored in the clear");
    }

    [Fact]
    public async Task The_same_media_sent_twice_is_one_object()
    {
        var first = await _media.PutAsync("tn-a", _picture);
        var second = await _media.PutAsync("tn-a", _picture);

        Assert.Equal(first, second);
        Assert.Single(Directory.GetFiles(Path.Combine(_directory.Path, "media", "tn-a")));
    }

    [Fact]
    public async Task Another_tenant_does_not_find_a_tenants_media_by_its_hash()
    {
        var sha256 = await _media.PutAsync("tn-a", _picture);

        Assert.Null(await _media.GetAsync("tn-b", sha256));
    }

    [Fact]
    public async Task A_tenants_media_copied_under_another_tenants_name_does_not_open()
    {
        var sha256 = await _media.PutAsync("tn-a", _picture);
        await _blobs.PutAsync($"media/tn-b/{sha256}", (await _blobs.GetAsync($"media/tn-a/{sha256}"))!);

        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => _media.GetAsync("tn-b", sha256));
        Assert.Contains($"media/tn-b/{sha256}", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Media_under_another_master_key_does_not_open()
    {
        var sha256 = await _media.PutAsync("tn-a", _picture);

        var stranger = new MediaStore(_blobs, RandomNumberGenerator.GetBytes(32));
        await Assert.ThrowsAsync<InvalidDataException>(() => stranger.GetAsync("tn-a", sha256));
    }

    [Fact]
    public async Task Media_never_stored_is_null()
    {
        Assert.Null(await _media.GetAsync("tn-a", new string('0', 64)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("../../sessions/tn-a/manifest-0000000000000000000000000000000000000000000000000000")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_name_that_is_not_a_lowercase_sha256_is_refused(string sha256)
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => _media.GetAsync("tn-a", sha256));
        Assert.Equal("sha256", refused.ParamName);
    }

    public void Dispose() => _directory.Dispose();
}
