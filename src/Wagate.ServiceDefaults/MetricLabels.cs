using System.Globalization;
using System.Text;

namespace Wagate.ServiceDefaults;

/// <summary>Label values for the members of an enum, as metrics show them: in snake case
/// (ScanQrCode: scan_qr_code, as the proto's STATE_SCAN_QR_CODE without its prefix), computed
/// once, so that recording a measurement on a hot path looks a string up and allocates nothing.</summary>
public static class MetricLabels
{
    /// <summary>The label of each member, indexed by its number; numbers no member has (there are
    /// none in the protos' enums, which count from 0) read as the number itself.</summary>
    public static IReadOnlyList<string> Of<TEnum>() where TEnum : struct, Enum
    {
        var members = Enum.GetValues<TEnum>().ToDictionary(value => Convert.ToInt32(value, CultureInfo.InvariantCulture), value => SnakeCase(value.ToString()));
        var labels = new string[members.Keys.Max() + 1];
        for (var number = 0; number < labels.Length; number++)
        {
            labels[number] = members.GetValueOrDefault(number) ?? number.ToString(CultureInfo.InvariantCulture);
        }
        return labels;
    }

    private static string SnakeCase(string pascal)
    {
        var snake = new StringBuilder(pascal.Length + 4);
        foreach (var letter in pascal)
        {
            if (char.IsUpper(letter) && snake.Length > 0)
            {
                snake.Append('_');
            }
            snake.Append(char.ToLowerInvariant(letter));
        }
        return snake.ToString();
    }
}
