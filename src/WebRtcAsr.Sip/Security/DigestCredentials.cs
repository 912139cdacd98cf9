using WebRtcAsr.Sip.Messages;

namespace WebRtcAsr.Sip.Security;

/// <summary>The parameters of an <c>Authorization: Digest ...</c> header field (RFC 3261 §22.4, RFC 7616 §3.4).</summary>
public sealed class DigestCredentials
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public string? Username => Get("username");

    public string? Realm => Get("realm");

    public string? Nonce => Get("nonce");

    public string? Uri => Get("uri");

    public string? Response => Get("response");

    public string? Algorithm => Get("algorithm");

    public string? Cnonce => Get("cnonce");

    public string? Qop => Get("qop");

    public string? NonceCount => Get("nc");

    public string? Get(string name) => _values.TryGetValue(name, out var value) ? value : null;

    public static bool TryParse(string header, out DigestCredentials credentials)
    {
        credentials = new DigestCredentials();
        var s = header.AsSpan().Trim();
        if (!s.StartsWith("Digest", StringComparison.OrdinalIgnoreCase) || s.Length < 7 || !SipSyntax.IsWhitespace(s[6]))
        {
            return false;
        }

        s = s[7..];
        while (true)
        {
            s = SipSyntax.TrimLws(s);
            if (s.IsEmpty)
            {
                return credentials._values.Count > 0;
            }

            var eq = s.IndexOf('=');
            if (eq <= 0)
            {
                return false;
            }

            var name = SipSyntax.TrimLws(s[..eq]);
            if (!SipSyntax.IsToken(name) || credentials._values.Count >= 16)
            {
                return false;
            }

            s = SipSyntax.TrimLws(s[(eq + 1)..]);
            string value;
            if (!s.IsEmpty && s[0] == '"')
            {
                var end = SipSyntax.ReadQuotedString(s, out value);
                if (end < 0)
                {
                    return false;
                }

                s = s[end..];
            }
            else
            {
                var end = s.IndexOf(',');
                value = SipSyntax.TrimLws(end < 0 ? s : s[..end]).ToString();
                s = end < 0 ? default : s[end..];
            }

            if (!credentials._values.TryAdd(name.ToString(), value))
            {
                return false;
            }

            s = SipSyntax.TrimLws(s);
            if (!s.IsEmpty)
            {
                if (s[0] != ',')
                {
                    return false;
                }

                s = s[1..];
            }
        }
    }
}
