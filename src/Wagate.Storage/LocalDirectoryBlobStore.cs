namespace Wagate.Storage;

/// <summary>Objects as files under one directory, for a single node. Every key is one file; a
/// write goes to a temporary file beside the target and is renamed over it, so readers see the old
/// or the new file whole. Files and directories are private to the owner: they hold secrets.</summary>
public sealed class LocalDirectoryBlobStore : IBlobStore
{
    // Key segments never contain '@', so an object's file can never have the name of the directory
    // of a longer key: "a/b" is the file "a/b@blob" and "a/b/c" the file "a/b/c@blob".
    private const string ObjectFileSuffix = "@blob";

    private readonly string _root;

    /// <summary>Touches nothing on disk until the first write, which creates the directories.</summary>
    public LocalDirectoryBlobStore(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        _root = Path.GetFullPath(rootDirectory);
    }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var path = FileOf(key);
        var directory = Path.GetDirectoryName(path)!;
        EnsureDirectory(directory);
        // Beside the target, so the rename stays on one file system and is atomic.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var stream = new FileStream(temporary, PrivateNewFile()))
            {
                await stream.WriteAsync(content, cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }
        DirectoryFlush.Flush(directory);
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = FileOf(key);
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = FileOf(key);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // Emptied directories stay: removing one would race with a write creating a file in it.
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // No directory, no object: already deleted.
        }
        return Task.CompletedTask;
    }

    private string FileOf(string key)
    {
        BlobKeys.Validate(key);
        return Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar) + ObjectFileSuffix);
    }

    private void EnsureDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }
        var parent = Path.GetDirectoryName(directory);
        if (directory != _root && parent is not null)
        {
            EnsureDirectory(parent);
        }
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        // A new directory is an entry in its parent, lost in a crash unless the parent is flushed.
        if (parent is not null)
        {
            DirectoryFlush.Flush(parent);
        }
    }

    private static FileStreamOptions PrivateNewFile()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return options;
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The write already failed; that failure is the one the caller needs to see.
        }
    }
}
