using System.Globalization;
using System.Net;
using System.Text;

namespace WebRtcAsr.Sip.Messages;

/// <summary>
/// A SIP, SIPS or tel URI (RFC 3261 §19.1, RFC 3966); other absolute URIs are kept with
/// <see cref="Scheme"/> set so a UAS can answer 416. Whitespace anywhere is an error.
/// </summary>
public sealed class SipUri
{
    private SipUri(string text, string scheme)
    {
        Text = text;
        Scheme = scheme;
    }

    /// <summary>The URI as received.</summary>
    public string Text { get; }

    /// <summary>Lower-case scheme: sip, sips, tel or another.</summary>
    public string Scheme { get; }

    public bool IsSip => Scheme is "sip" or "sips";

    /// <summary>User part (sip) or subscriber number (tel), still %-escaped; null when absent.</summary>
    public string? User { get; private set; }

    /// <summary>Host name or address (IPv6 without brackets); empty for tel and unknown schemes.</summary>
    public string Host { get; private set; } = string.Empty;

    /// <summary>Port, or null for the scheme default.</summary>
    public int? Port { get; private set; }

    public SipParameters Parameters { get; private set; } = new();

    /// <summary>The <c>?headers</c> part without the '?', or null.</summary>
    public string? Headers { get; private set; }

    public override string ToString() => Text;

    /// <summary>The host as an IP address when it is a literal one.</summary>
    public IPAddress? HostAddress => IPAddress.TryParse(Host, out var address) ? address : null;

    public static bool TryParse(ReadOnlySpan<char> text, out SipUri uri, out string? error)
    {
        uri = null!;
        error = null;
        if (text.IsEmpty)
        {
            error = "empty URI";
            return false;
        }

        foreach (var c in text)
        {
            if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '"')
            {
                error = "URI contains whitespace, a control character, '<', '>' or '\"'";
                return false;
            }
        }

        var colon = text.IndexOf(':');
        if (colon <= 0 || !IsScheme(text[..colon]))
        {
            error = "URI has no valid scheme";
            return false;
        }

        var scheme = text[..colon].ToString().ToLowerInvariant();
        uri = new SipUri(text.ToString(), scheme);
        var rest = text[(colon + 1)..];
        if (rest.IsEmpty)
        {
            error = "URI has nothing after its scheme";
            return false;
        }

        return scheme switch
        {
            "sip" or "sips" => uri.ParseSip(rest, out error),
            "tel" => uri.ParseTel(rest, out error),
            _ => true,
        };
    }

    private bool ParseSip(ReadOnlySpan<char> rest, out string? error)
    {
        error = null;

        // '@' cannot occur unescaped in host, parameters or headers, so the last one ends the userinfo, which
        // itself may contain ';', '?' and ',' (RFC 4475 §3.1.1.2, §3.1.1.9).
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userinfo = rest[..at];
            var passwordColon = userinfo.IndexOf(':');
            var user = passwordColon >= 0 ? userinfo[..passwordColon] : userinfo;
            if (user.IsEmpty || !IsEscapedValid(userinfo))
            {
                error = "URI user part is empty or has a bad escape";
                return false;
            }

            User = user.ToString();
            rest = rest[(at + 1)..];
        }

        var question = rest.IndexOf('?');
        if (question >= 0)
        {
            Headers = rest[(question + 1)..].ToString();
            rest = rest[..question];
        }

        var semicolon = rest.IndexOf(';');
        var hostport = semicolon >= 0 ? rest[..semicolon] : rest;
        if (semicolon >= 0)
        {
            if (!SipParameters.TryParse(rest[semicolon..], 64, out var parameters, out error))
            {
                return false;
            }

            Parameters = parameters;
        }

        return TryParseHostPort(hostport, out var host, out var port, out error) && Set(host, port);
    }

    private bool Set(string host, int? port)
    {
        Host = host;
        Port = port;
        return true;
    }

    private bool ParseTel(ReadOnlySpan<char> rest, out string? error)
    {
        error = null;
        var semicolon = rest.IndexOf(';');
        var number = semicolon >= 0 ? rest[..semicolon] : rest;
        if (number.IsEmpty)
        {
            error = "tel URI without a number";
            return false;
        }

        foreach (var c in number)
        {
            if (!(char.IsAsciiHexDigit(c) || c is '+' or '-' or '.' or '(' or ')' or '*' or '#' or 'p' or 'w' or 'P' or 'W'))
            {
                error = "tel URI number has an invalid character";
                return false;
            }
        }

        User = number.ToString();
        if (semicolon >= 0)
        {
            if (!SipParameters.TryParse(rest[semicolon..], 64, out var parameters, out error))
            {
                return false;
            }

            Parameters = parameters;
        }

        return true;
    }

    /// <summary>Parses host[:port]: a host name, IPv4 address, or [IPv6] reference.</summary>
    public static bool TryParseHostPort(ReadOnlySpan<char> hostport, out string host, out int? port, out string? error)
    {
        host = string.Empty;
        port = null;
        error = null;
        ReadOnlySpan<char> portText = default;
        if (hostport.StartsWith("["))
        {
            var close = hostport.IndexOf(']');
            if (close < 0 || !IPAddress.TryParse(hostport[1..close], out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                error = "bad IPv6 reference";
                return false;
            }

            host = hostport[1..close].ToString();
            var after = hostport[(close + 1)..];
            if (!after.IsEmpty)
            {
                if (after[0] != ':')
                {
                    error = "junk after IPv6 reference";
                    return false;
                }

                portText = after[1..];
                if (portText.IsEmpty)
                {
                    error = "empty port";
                    return false;
                }
            }
        }
        else
        {
            var colon = hostport.IndexOf(':');
            var name = colon >= 0 ? hostport[..colon] : hostport;
            if (colon >= 0)
            {
                portText = hostport[(colon + 1)..];
                if (portText.IsEmpty)
                {
                    error = "empty port";
                    return false;
                }
            }

            if (name.IsEmpty)
            {
                error = "empty host";
                return false;
            }

            foreach (var c in name)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
                {
                    error = "host has an invalid character";
                    return false;
                }
            }

            host = name.ToString();
        }

        if (!portText.IsEmpty)
        {
            if (!SipSyntax.TryParseDecimal(portText, 65535, out var p))
            {
                error = "bad port";
                return false;
            }

            port = (int)p;
        }

        return true;
    }

    /// <summary>Formats host[:port], bracketing IPv6 addresses.</summary>
    public static string FormatHostPort(string host, int? port)
    {
        var builder = new StringBuilder();
        if (host.Contains(':', StringComparison.Ordinal))
        {
            builder.Append('[').Append(host).Append(']');
        }
        else
        {
            builder.Append(host);
        }

        if (port is { } p)
        {
            builder.Append(':').Append(p.ToString(CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    private static bool IsScheme(ReadOnlySpan<char> s)
    {
        if (!char.IsAsciiLetter(s[0]))
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsEscapedValid(ReadOnlySpan<char> s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && (i + 2 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]) || !char.IsAsciiHexDigit(s[i + 2])))
            {
                return false;
            }
        }

        return true;
    }
}
