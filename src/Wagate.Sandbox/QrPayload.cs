namespace Wagate.Sandbox;

/// <summary>The QR payload format, shaped like WhatsApp's ("2@ref,keys...") so that clients
/// treat it as opaque text, as they must with the real one.</summary>
internal static class QrPayload
{
    private const string Prefix = "2@";
    private const string Marker = ",sandbox,";

    public static string Format(string reference, int sequence) => $"{Prefix}{reference}{Marker}{sequence}";

    public static bool TryParse(string code, out string reference)
    {
        reference = "";
        var end = code.IndexOf(Marker, StringComparison.Ordinal);
        if (!code.StartsWith(Prefix, StringComparison.Ordinal) || end <= Prefix.Length)
        {
            return false;
        }
        reference = code[Prefix.Length..end];
        return true;
    }
}
