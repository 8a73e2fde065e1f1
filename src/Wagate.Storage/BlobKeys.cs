using System.Buffers;

namespace Wagate.Storage;

/// <summary>The one definition of a valid blob key, so every adapter accepts exactly the same
/// keys: a key that works on the local disk of a single node must work on S3, and the reverse.
/// The alphabet is safe as a file name and as an S3 object name without any escaping.</summary>
public static class BlobKeys
{
    public const int MaxLength = 512;

    private static readonly SearchValues<char> SegmentCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="key"/> unless it is
    /// a valid blob key.</summary>
    public static void Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (Problem(key) is { } problem)
        {
            throw new ArgumentException($"Invalid blob key '{key}': {problem}.", nameof(key));
        }
    }

    private static string? Problem(string key)
    {
        if (key.Length == 0)
        {
            return "it is empty";
        }
        if (key.Length > MaxLength)
        {
            return $"it is longer than {MaxLength} characters";
        }
        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0)
            {
                return "it has an empty segment (a leading, trailing or doubled '/')";
            }
            if (segment is "." or "..")
            {
                return "'.' and '..' are not allowed as segments";
            }
            if (segment.AsSpan().ContainsAnyExcept(SegmentCharacters))
            {
                return "segments may contain only A-Z, a-z, 0-9, '.', '_' and '-'";
            }
        }
        return null;
    }
}
