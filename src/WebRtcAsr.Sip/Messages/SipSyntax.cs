namespace WebRtcAsr.Sip.Messages;

/// <summary>Character classes and small lexical routines of RFC 3261 §25 shared by the header parsers.</summary>
internal static class SipSyntax
{
    /// <summary>token chars: alphanum and -.!%*_+`'~ (RFC 3261 §25.1).</summary>
    public static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~';

    public static bool IsToken(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsWhitespace(char c) => c is ' ' or '\t';

    public static ReadOnlySpan<char> TrimLws(ReadOnlySpan<char> s) => s.Trim(" \t");

    public static bool ContainsWhitespace(ReadOnlySpan<char> s) => s.IndexOfAny(' ', '\t') >= 0;

    /// <summary>
    /// Finds the next occurrence of <paramref name="separator"/> that is outside quoted strings and
    /// angle brackets; -1 when there is none. Unbalanced quotes make the rest "inside".
    /// </summary>
    public static int IndexOfUnquoted(ReadOnlySpan<char> s, char separator)
    {
        var inQuotes = false;
        var inAngle = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (inQuotes)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inQuotes = false;
                }

                continue;
            }

            if (c == '"')
            {
                inQuotes = true;
            }
            else if (c == '<')
            {
                inAngle = true;
            }
            else if (c == '>')
            {
                inAngle = false;
            }
            else if (c == separator && !inAngle)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Splits a comma-separated header value (outside quotes and &lt;&gt;) into trimmed, non-empty elements.</summary>
    public static void SplitList(string value, List<string> into)
    {
        var rest = value.AsSpan();
        while (true)
        {
            var comma = IndexOfUnquoted(rest, ',');
            var element = TrimLws(comma < 0 ? rest : rest[..comma]);
            if (!element.IsEmpty)
            {
                into.Add(element.ToString());
            }

            if (comma < 0)
            {
                return;
            }

            rest = rest[(comma + 1)..];
        }
    }

    /// <summary>Parses a decimal number of at most <paramref name="max"/>; false on anything else (sign, space, overflow).</summary>
    public static bool TryParseDecimal(ReadOnlySpan<char> s, long max, out long value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 20)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
            if (value > max)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads a quoted-string starting at s[0] == '"'; returns the index after the closing quote, or -1.</summary>
    public static int ReadQuotedString(ReadOnlySpan<char> s, out string unescaped)
    {
        unescaped = string.Empty;
        if (s.IsEmpty || s[0] != '"')
        {
            return -1;
        }

        var builder = new System.Text.StringBuilder();
        for (var i = 1; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\\')
            {
                if (i + 1 >= s.Length)
                {
                    return -1;
                }

                builder.Append(s[++i]);
            }
            else if (c == '"')
            {
                unescaped = builder.ToString();
                return i + 1;
            }
            else
            {
                builder.Append(c);
            }
        }

        return -1;
    }
}
