using System.Text;

namespace WebRtcAsr.Sip.Messages;

/// <summary>
/// A name-addr or addr-spec with header parameters (From, To, Contact, Route, Record-Route; RFC 3261 §20.10, §25.1):
/// <c>"Display" &lt;sip:user@host&gt;;tag=x</c> or <c>sip:user@host;tag=x</c>.
/// </summary>
public sealed class SipNameAddress
{
    private SipNameAddress(string? displayName, SipUri uri, SipParameters parameters, bool angled)
    {
        DisplayName = displayName;
        Uri = uri;
        Parameters = parameters;
        Angled = angled;
    }

    /// <summary>Display name with quotes removed and escapes undone, or null.</summary>
    public string? DisplayName { get; }

    public SipUri Uri { get; }

    /// <summary>Header parameters (after the URI), e.g. tag.</summary>
    public SipParameters Parameters { get; }

    /// <summary>Whether the URI was in angle brackets.</summary>
    public bool Angled { get; }

    public string? Tag => Parameters.Get("tag");

    public static SipNameAddress Create(SipUri uri, string? displayName = null) => new(displayName, uri, new SipParameters(), true);

    public override string ToString()
    {
        var builder = new StringBuilder();
        if (!string.IsNullOrEmpty(DisplayName))
        {
            builder.Append('"').Append(DisplayName.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\" ");
        }

        builder.Append('<').Append(Uri.Text).Append('>');
        Parameters.AppendTo(builder);
        return builder.ToString();
    }

    public static bool TryParse(ReadOnlySpan<char> text, out SipNameAddress address, out string? error)
    {
        address = null!;
        var s = SipSyntax.TrimLws(text);
        string? display = null;
        ReadOnlySpan<char> uriText;
        ReadOnlySpan<char> rest;
        var angled = false;
        if (!s.IsEmpty && s[0] == '"')
        {
            var end = SipSyntax.ReadQuotedString(s, out var unescaped);
            if (end < 0)
            {
                error = "unterminated quoted display name";
                return false;
            }

            display = unescaped;
            s = SipSyntax.TrimLws(s[end..]);
            if (s.IsEmpty || s[0] != '<')
            {
                error = "quoted display name not followed by <URI>";
                return false;
            }
        }

        var open = s.IndexOf('<');
        if (open >= 0)
        {
            var name = SipSyntax.TrimLws(s[..open]);
            if (!name.IsEmpty)
            {
                // Unquoted display name: tokens separated by LWS.
                foreach (var c in name)
                {
                    if (!SipSyntax.IsTokenChar(c) && !SipSyntax.IsWhitespace(c))
                    {
                        error = "display name has a character that needs quoting";
                        return false;
                    }
                }

                display = name.ToString();
            }

            var close = s.IndexOf('>');
            if (close < open)
            {
                error = "'<' without '>'";
                return false;
            }

            uriText = s[(open + 1)..close];
            rest = s[(close + 1)..];
            angled = true;
        }
        else
        {
            // addr-spec: the URI may not contain ',', '?' or ';' (those require the <> form), so ';' starts header params.
            var semicolon = s.IndexOf(';');
            uriText = SipSyntax.TrimLws(semicolon >= 0 ? s[..semicolon] : s);
            rest = semicolon >= 0 ? s[semicolon..] : default;
            if (uriText.IndexOfAny(',', '?') >= 0)
            {
                error = "addr-spec with ',' or '?' must be enclosed in <>";
                return false;
            }
        }

        if (!SipUri.TryParse(uriText, out var uri, out error))
        {
            return false;
        }

        if (!SipParameters.TryParse(rest, 32, out var parameters, out error))
        {
            return false;
        }

        address = new SipNameAddress(display, uri, parameters, angled);
        return true;
    }
}
