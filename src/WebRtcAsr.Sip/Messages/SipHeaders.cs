using System.Collections;

namespace WebRtcAsr.Sip.Messages;

/// <summary>The header fields of a message in order; names compare case-insensitively.</summary>
public sealed class SipHeaders : IReadOnlyList<SipHeader>
{
    private readonly List<SipHeader> _headers = [];

    public int Count => _headers.Count;

    public SipHeader this[int index] => _headers[index];

    /// <summary>Appends a field; the name is canonicalized (compact forms expanded).</summary>
    public void Add(string name, string value) => _headers.Add(new SipHeader(SipHeaderNames.Canonicalize(name), value));

    /// <summary>Appends a field whose name is already canonical (the parser's path).</summary>
    internal void AddCanonical(string name, string value) => _headers.Add(new SipHeader(name, value));

    /// <summary>Removes every field with this name, then appends one.</summary>
    public void Set(string name, string value)
    {
        Remove(name);
        Add(name, value);
    }

    public int Remove(string name) => _headers.RemoveAll(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The first field's value with this name, or null.</summary>
    public string? Get(string name)
    {
        foreach (var h in _headers)
        {
            if (string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return h.Value;
            }
        }

        return null;
    }

    public int CountOf(string name)
    {
        var n = 0;
        foreach (var h in _headers)
        {
            if (string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Every value of a header in order: repeated fields, and for list headers comma-separated elements too.</summary>
    public List<string> GetValues(string name)
    {
        var values = new List<string>();
        var split = SipHeaderNames.IsList(SipHeaderNames.Canonicalize(name));
        foreach (var h in _headers)
        {
            if (!string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (split)
            {
                SipSyntax.SplitList(h.Value, values);
            }
            else
            {
                values.Add(h.Value);
            }
        }

        return values;
    }

    public IEnumerator<SipHeader> GetEnumerator() => _headers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
