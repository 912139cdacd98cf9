using System.Globalization;
using System.Text;

namespace WebRtcAsr.Sip.Messages;

/// <summary>One Via value: <c>SIP/2.0/UDP host:port;branch=z9hG4bK...;received=..;rport</c> (RFC 3261 §20.42, RFC 3581).</summary>
public sealed class SipVia
{
    /// <summary>The RFC 3261 branch prefix that marks globally unique branches.</summary>
    public const string MagicCookie = "z9hG4bK";

    private SipVia(string transport, string host, int? port, SipParameters parameters)
    {
        Transport = transport;
        Host = host;
        Port = port;
        Parameters = parameters;
    }

    /// <summary>Upper-case transport (UDP, TCP, TLS, ...).</summary>
    public string Transport { get; }

    /// <summary>sent-by host.</summary>
    public string Host { get; }

    /// <summary>sent-by port, or null for the default.</summary>
    public int? Port { get; }

    public SipParameters Parameters { get; }

    public string? Branch => Parameters.Get("branch");

    /// <summary>Whether the branch starts with the RFC 3261 magic cookie.</summary>
    public bool HasRfc3261Branch => Branch is { } b && b.StartsWith(MagicCookie, StringComparison.Ordinal);

    /// <summary>sent-by as host:port text (the transaction key part).</summary>
    public string SentBy => SipUri.FormatHostPort(Host, Port);

    public static SipVia Create(string transport, string host, int? port, string branch)
    {
        var parameters = new SipParameters();
        parameters.Set("branch", branch);
        return new SipVia(transport, host, port, parameters);
    }

    public override string ToString()
    {
        var builder = new StringBuilder("SIP/2.0/").Append(Transport).Append(' ').Append(SentBy);
        Parameters.AppendTo(builder);
        return builder.ToString();
    }

    /// <summary>Parses one Via value, allowing LWS around '/', ':' separators as RFC 4475 §3.1.1.1 exercises.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out SipVia via, out string? error)
    {
        via = null!;
        var s = SipSyntax.TrimLws(text);
        if (!TakeToken(ref s, out var protocol) || !protocol.Equals("SIP", StringComparison.OrdinalIgnoreCase)
            || !TakeSlash(ref s) || !TakeToken(ref s, out var version) || !version.SequenceEqual("2.0")
            || !TakeSlash(ref s) || !TakeToken(ref s, out var transport))
        {
            error = "Via does not start with SIP/2.0/transport";
            return false;
        }

        s = SipSyntax.TrimLws(s);
        var semicolon = s.IndexOf(';');
        var sentBy = SipSyntax.TrimLws(semicolon >= 0 ? s[..semicolon] : s);

        // LWS is allowed around the ':' of sent-by.
        Span<char> compact = stackalloc char[Math.Min(sentBy.Length, 512)];
        var n = 0;
        foreach (var c in sentBy)
        {
            if (SipSyntax.IsWhitespace(c))
            {
                continue;
            }

            if (n == compact.Length)
            {
                error = "Via sent-by too long";
                return false;
            }

            compact[n++] = c;
        }

        if (!SipUri.TryParseHostPort(compact[..n], out var host, out var port, out error))
        {
            error = "Via sent-by: " + error;
            return false;
        }

        if (!SipParameters.TryParse(semicolon >= 0 ? s[semicolon..] : default, 32, out var parameters, out error))
        {
            error = "Via parameters: " + error;
            return false;
        }

        if (parameters.Get("received") is { } received && !System.Net.IPAddress.TryParse(received.Trim('[', ']'), out _))
        {
            error = "Via received is not an IP address";
            return false;
        }

        if (parameters.Contains("rport") && parameters.Get("rport") is { } rport && !SipSyntax.TryParseDecimal(rport, 65535, out _))
        {
            error = "Via rport is not a port";
            return false;
        }

        via = new SipVia(transport.ToString().ToUpperInvariant(), host, port, parameters);
        return true;
    }

    /// <summary>A copy with received/rport filled in as a server does on receipt (RFC 3261 §18.2.1, RFC 3581 §4).</summary>
    public SipVia WithReceived(System.Net.IPEndPoint source)
    {
        var parameters = new SipParameters();
        foreach (var (name, value) in Parameters.Items)
        {
            parameters.Set(name, value);
        }

        var sourceHost = source.Address.ToString();
        if (!string.Equals(Host, sourceHost, StringComparison.OrdinalIgnoreCase) || parameters.Contains("rport"))
        {
            parameters.Set("received", sourceHost);
        }

        if (parameters.Contains("rport"))
        {
            parameters.Set("rport", source.Port.ToString(CultureInfo.InvariantCulture));
        }

        return new SipVia(Transport, Host, Port, parameters);
    }

    private static bool TakeToken(ref ReadOnlySpan<char> s, out ReadOnlySpan<char> token)
    {
        s = SipSyntax.TrimLws(s);
        var n = 0;
        while (n < s.Length && SipSyntax.IsTokenChar(s[n]))
        {
            n++;
        }

        token = s[..n];
        s = s[n..];
        return n > 0;
    }

    private static bool TakeSlash(ref ReadOnlySpan<char> s)
    {
        s = SipSyntax.TrimLws(s);
        if (s.IsEmpty || s[0] != '/')
        {
            return false;
        }

        s = s[1..];
        return true;
    }
}
