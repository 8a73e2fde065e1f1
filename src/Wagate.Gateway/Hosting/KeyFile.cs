using System.Security.Cryptography;

namespace Wagate.Gateway.Hosting;

/// <summary>A single node keeps its keys (token signing, session state encryption) in its data
/// directory, readable by its owner only, so tokens and stored state stay valid across
/// restarts without any configuration.</summary>
public static class KeyFile
{
    public static byte[] LoadOrCreate(string dataDirectory, string fileName)
    {
        var path = Path.Combine(dataDirectory, fileName);
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        Directory.CreateDirectory(dataDirectory);
        var key = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var writer = new StreamWriter(path, options))
        {
            writer.Write(Convert.ToBase64String(key));
        }
        return key;
    }
}
