using Wagate.Testing;
using Xunit;

namespace Wagate.Storage.Tests;

/// <summary>The conformance suite on local directories, as a single node stores state, plus what
/// only files have: permissions and temporary files.</summary>
public sealed class LocalDirectoryBlobStoreTests : BlobStoreConformanceTests
{
    private readonly TempDirectory _directory = new();

    protected override Task<IBlobStore> CreateStoreAsync() =>
        Task.FromResult<IBlobStore>(new LocalDirectoryBlobStore(NewRoot()));

    protected override IBlobStore CreateUnreachableStore()
    {
        // A root below a regular file: creating or opening anything under it fails.
        var file = Path.Combine(_directory.Path, "not-a-directory");
        File.WriteAllBytes(file, []);
        return new LocalDirectoryBlobStore(Path.Combine(file, "store"));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    private string NewRoot() => Path.Combine(_directory.Path, Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task Objects_and_their_directories_are_private_to_the_owner()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix permissions only; the platform runs on Linux.
        }
        var root = NewRoot();
        var store = new LocalDirectoryBlobStore(root);

        await store.PutAsync("sessions/abc/7/000001", new byte[] { 1, 2, 3 });

        var file = Assert.Single(Directory.GetFiles(root, "*", SearchOption.AllDirectories));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        foreach (var directory in Directory.GetDirectories(root, "*", SearchOption.AllDirectories).Append(root))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        }
    }

    [Fact]
    public async Task Writes_leave_only_the_object_files_behind()
    {
        var root = NewRoot();
        var store = new LocalDirectoryBlobStore(root);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => store.PutAsync("state/contended", Bytes(i, length: 64))));
        await store.PutAsync("state/other", Bytes(20, length: 64));

        Assert.Equal(2, Directory.GetFiles(root, "*", SearchOption.AllDirectories).Length);
    }
}
