using System.Globalization;
using System.Net;

namespace Wagate.Settings;

/// <summary>Reads WAGATE_* settings by name, each parsed and checked as it is read, so a process
/// with a bad or missing setting stops at start with a message naming it
/// (<see cref="InvalidSettingException"/>) instead of failing later, somewhere else.</summary>
/// <param name="read">The raw value of a setting by name; null or empty when unset.</param>
public sealed class SettingReader(Func<string, string?> read)
{
    /// <summary>The value, or null when unset or empty.</summary>
    public string? Text(string name) => read(name) is { Length: > 0 } value ? value : null;

    /// <summary>The value; <see cref="InvalidSettingException"/> when unset.</summary>
    /// <param name="what">What the setting is for, said to whoever forgot it.</param>
    public string Required(string name, string what) =>
        Text(name) ?? throw new InvalidSettingException(name, $"is required: {what}");

    public int Number(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        if (Text(name) is not { } text)
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw new InvalidSettingException(name, $"must be a whole number, not '{text}'");
        }
        return value >= min && value <= max
            ? value
            : throw new InvalidSettingException(name, $"must be between {min} and {max}, not {value}");
    }

    /// <summary>A port number, 1 to 65535.</summary>
    public int Port(string name, int fallback) => Number(name, fallback, 1, 65535);

    /// <summary>A duration given in whole milliseconds, never negative.</summary>
    public TimeSpan Milliseconds(string name, TimeSpan fallback) =>
        Text(name) is null ? fallback : TimeSpan.FromMilliseconds(Number(name, 0, min: 0));

    /// <summary>A duration given in seconds (fractions allowed), above zero.</summary>
    public TimeSpan Seconds(string name, TimeSpan fallback)
    {
        if (Text(name) is not { } text)
        {
            return fallback;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new InvalidSettingException(name, $"must be a number of seconds above zero, not '{text}'");
    }

    /// <summary>True for "1" or "true", false when unset or "0" or "false".</summary>
    public bool Flag(string name) => Text(name)?.ToUpperInvariant() switch
    {
        null or "0" or "FALSE" => false,
        "1" or "TRUE" => true,
        _ => throw new InvalidSettingException(name, $"must be true or false, not '{Text(name)}'"),
    };

    /// <summary>A secret key in base64, at least <paramref name="minimumBytes"/> long; null when unset.</summary>
    public byte[]? Key(string name, int minimumBytes = 32)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            // The value is a secret: never repeat it in the message.
            throw new InvalidSettingException(name, "must be base64");
        }
        return key.Length >= minimumBytes
            ? key
            : throw new InvalidSettingException(name, $"must be at least {minimumBytes} bytes (base64), not {key.Length}");
    }

    /// <summary>An absolute URI (http or https); null when unset.</summary>
    public Uri? Uri(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }
        return System.Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new InvalidSettingException(name, $"must be an http:// or https:// address, not '{text}'");
    }

    public IPAddress Address(string name, IPAddress fallback)
    {
        if (Text(name) is not { } text)
        {
            return fallback;
        }
        return IPAddress.TryParse(text, out var address)
            ? address
            : throw new InvalidSettingException(name, $"must be an IP address, not '{text}'");
    }
}

/// <summary>A setting that is missing or cannot be used; the message starts with its name.</summary>
public sealed class InvalidSettingException(string setting, string problem) : Exception($"{setting} {problem}")
{
    public string Setting => setting;
}

/// <summary>WAGATE_LOG_FORMAT: "text" (the default, for people) or "json" (one object a line, for
/// log shippers). Shared by every host.</summary>
public static class LogFormat
{
    public static bool IsJson(SettingReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Text("WAGATE_LOG_FORMAT")?.ToUpperInvariant() switch
        {
            null or "TEXT" => false,
            "JSON" => true,
            _ => throw new InvalidSettingException("WAGATE_LOG_FORMAT", $"must be text or json, not '{settings.Text("WAGATE_LOG_FORMAT")}'"),
        };
    }
}
