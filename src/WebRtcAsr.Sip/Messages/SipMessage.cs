namespace WebRtcAsr.Sip.Messages;

/// <summary>
/// A SIP request or response: header fields in order and a body. Messages from the parser also carry the
/// essential headers already parsed and validated (Via, From, To, Call-ID, CSeq, Max-Forwards).
/// </summary>
public abstract class SipMessage
{
    public SipHeaders Headers { get; } = new();

    public ReadOnlyMemory<byte> Body { get; set; } = ReadOnlyMemory<byte>.Empty;

    /// <summary>Via values top first (parsed messages).</summary>
    public IReadOnlyList<SipVia> Vias { get; internal set; } = [];

    public SipNameAddress? From { get; internal set; }

    public SipNameAddress? To { get; internal set; }

    public string? CallId { get; internal set; }

    public SipCSeq CSeq { get; internal set; }

    public int? MaxForwards { get; internal set; }

    public SipVia? TopVia => Vias.Count > 0 ? Vias[0] : null;

    /// <summary>Media type of the body without parameters, lower case (e.g. application/sdp), or null.</summary>
    public string? ContentType
    {
        get
        {
            var value = Headers.Get(SipHeaderNames.ContentType);
            if (value is null)
            {
                return null;
            }

            var semicolon = value.IndexOf(';', StringComparison.Ordinal);
            return (semicolon >= 0 ? value[..semicolon] : value).Trim().ToLowerInvariant();
        }
    }
}

/// <summary>A SIP request: method and Request-URI.</summary>
public sealed class SipRequest(string method, SipUri requestUri) : SipMessage
{
    public string Method { get; } = method;

    public SipUri RequestUri { get; } = requestUri;

    public override string ToString() => $"{Method} {RequestUri}";
}

/// <summary>A SIP response: status code and reason phrase.</summary>
public sealed class SipResponse(int statusCode, string reasonPhrase) : SipMessage
{
    public int StatusCode { get; } = statusCode;

    public string ReasonPhrase { get; } = reasonPhrase;

    public bool IsProvisional => StatusCode < 200;

    public override string ToString() => $"{StatusCode} {ReasonPhrase}";
}
