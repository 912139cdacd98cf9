using System.Text;

namespace WebRtcAsr.Sip.Messages;

/// <summary>Ordered <c>;name[=value]</c> parameters (of a URI, Via, or name-addr header); names compare case-insensitively.</summary>
public sealed class SipParameters
{
    private readonly List<KeyValuePair<string, string?>> _items = [];

    public int Count => _items.Count;

    public IReadOnlyList<KeyValuePair<string, string?>> Items => _items;

    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>The value, or null when absent or valueless (use <see cref="Contains"/> to tell them apart).</summary>
    public string? Get(string name)
    {
        var i = IndexOf(name);
        return i < 0 ? null : _items[i].Value;
    }

    public void Set(string name, string? value)
    {
        var i = IndexOf(name);
        if (i < 0)
        {
            _items.Add(new(name, value));
        }
        else
        {
            _items[i] = new(name, value);
        }
    }

    public void Remove(string name)
    {
        var i = IndexOf(name);
        if (i >= 0)
        {
            _items.RemoveAt(i);
        }
    }

    public void AppendTo(StringBuilder builder)
    {
        foreach (var (name, value) in _items)
        {
            builder.Append(';').Append(name);
            if (value is not null)
            {
                builder.Append('=').Append(value);
            }
        }
    }

    /// <summary>
    /// Parses parameters from text that starts at the first ';' (LWS around ';' and '=' allowed, RFC 3261 §25.1).
    /// Values may be tokens, quoted strings (kept with their quotes) or bracketed IPv6 addresses.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, int maxCount, out SipParameters parameters, out string? error)
    {
        parameters = new SipParameters();
        error = null;
        var s = SipSyntax.TrimLws(text);
        while (!s.IsEmpty)
        {
            if (s[0] != ';')
            {
                error = "expected ';' before a parameter";
                return false;
            }

            s = SipSyntax.TrimLws(s[1..]);
            var nameEnd = 0;
            while (nameEnd < s.Length && SipSyntax.IsTokenChar(s[nameEnd]))
            {
                nameEnd++;
            }

            if (nameEnd == 0)
            {
                error = "empty parameter name";
                return false;
            }

            var name = s[..nameEnd].ToString();
            s = SipSyntax.TrimLws(s[nameEnd..]);
            string? value = null;
            if (!s.IsEmpty && s[0] == '=')
            {
                s = SipSyntax.TrimLws(s[1..]);
                int valueEnd;
                if (!s.IsEmpty && s[0] == '"')
                {
                    valueEnd = SipSyntax.ReadQuotedString(s, out _);
                    if (valueEnd < 0)
                    {
                        error = "unterminated quoted parameter value";
                        return false;
                    }
                }
                else if (!s.IsEmpty && s[0] == '[')
                {
                    valueEnd = s.IndexOf(']') + 1;
                    if (valueEnd <= 0)
                    {
                        error = "unterminated IPv6 reference in a parameter";
                        return false;
                    }
                }
                else
                {
                    valueEnd = 0;
                    while (valueEnd < s.Length && (SipSyntax.IsTokenChar(s[valueEnd]) || s[valueEnd] is ':' or '/' or '@' or '[' or ']' or '&' or '$' or '?' or '(' or ')'))
                    {
                        valueEnd++;
                    }
                }

                if (valueEnd == 0)
                {
                    error = $"parameter '{name}' has an empty value";
                    return false;
                }

                value = s[..valueEnd].ToString();
                s = SipSyntax.TrimLws(s[valueEnd..]);
            }

            if (parameters._items.Count >= maxCount)
            {
                error = "too many parameters";
                return false;
            }

            parameters._items.Add(new(name, value));
        }

        return true;
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < _items.Count; i++)
        {
            if (string.Equals(_items[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
