using System.Text;

namespace WebRtcAsr.Server.Metrics;

/// <summary>Prometheus naming and escaping rules (exposition format 0.0.4).</summary>
public static class MetricNames
{
    /// <summary>[a-zA-Z_:][a-zA-Z0-9_:]*</summary>
    public static bool IsValid(string name) => IsValid(name, allowColon: true);

    /// <summary>[a-zA-Z_][a-zA-Z0-9_]*</summary>
    public static bool IsValidLabel(string name) => IsValid(name, allowColon: false);

    /// <summary>Label values escape backslash, double quote and newline.</summary>
    public static string EscapeLabelValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny("\\\"\n") < 0)
        {
            return value;
        }

        var b = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            b.Append(c switch { '\\' => "\\\\", '"' => "\\\"", '\n' => "\\n", _ => c.ToString() });
        }

        return b.ToString();
    }

    /// <summary>HELP text escapes backslash and newline.</summary>
    public static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static bool IsValid(string name, bool allowColon)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = char.IsAsciiLetter(c) || c == '_' || (allowColon && c == ':') || (i > 0 && char.IsAsciiDigit(c));
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
