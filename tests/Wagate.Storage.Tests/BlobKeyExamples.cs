namespace Wagate.Storage.Tests;

/// <summary>Keys shared by the key-validation tests and the conformance suite, so both adapters are
/// held to exactly the rules <see cref="BlobKeys"/> states.</summary>
internal static class BlobKeyExamples
{
    public static readonly string[] Invalid =
    [
        "",
        "/x",
        "x/",
        "a//b",
        "a/../b",
        "./a",
        "a b",
        "a\\b",
        "a@blob",
        "sessions/\u00e4",
        new string('a', 600),
        string.Join('/', Enumerable.Repeat("abcdefg", 64)) + "/x", // 514 characters of valid segments
    ];

    public static readonly string[] Valid =
    [
        "a",
        "sessions/abc/7/000001",
        "media/tn-1/A.b_c-D.jpeg",
        "...",
        "a/.hidden/b",
        string.Join('/', Enumerable.Repeat("abcdefg", 64)), // 511 characters
        string.Join('/', Enumerable.Repeat("abcdefg", 64)) + "h", // exactly 512
    ];
}
