namespace WebRtcAsr.Sip.Messages;

/// <summary>
/// Builds a response to a request as RFC 3261 §8.2.6 requires: the same Via values (top one with received/rport
/// as set by the caller), From, Call-ID and CSeq; To with our tag added unless it is 100 Trying or already tagged;
/// Timestamp echoed on 100.
/// </summary>
public static class SipResponseFactory
{
    /// <summary>Creates the response. <paramref name="topVia"/> replaces the first Via value when given (received/rport filled in).</summary>
    public static SipResponse Create(SipRequest request, int statusCode, string? toTag, SipVia? topVia = null, string? reasonPhrase = null)
    {
        var response = new SipResponse(statusCode, reasonPhrase ?? SipStatus.ReasonPhrase(statusCode));
        var vias = request.Headers.GetValues(SipHeaderNames.Via);
        for (var i = 0; i < vias.Count; i++)
        {
            response.Headers.Add(SipHeaderNames.Via, i == 0 && topVia is not null ? topVia.ToString() : vias[i]);
        }

        response.Headers.Add(SipHeaderNames.From, request.Headers.Get(SipHeaderNames.From) ?? string.Empty);
        var to = request.Headers.Get(SipHeaderNames.To) ?? string.Empty;
        if (statusCode > 100 && toTag is not null && request.To is { } parsedTo && parsedTo.Tag is null)
        {
            to += ";tag=" + toTag;
        }

        response.Headers.Add(SipHeaderNames.To, to);
        response.Headers.Add(SipHeaderNames.CallId, request.Headers.Get(SipHeaderNames.CallId) ?? string.Empty);
        response.Headers.Add(SipHeaderNames.CSeq, request.Headers.Get(SipHeaderNames.CSeq) ?? string.Empty);
        if (statusCode == 100 && request.Headers.Get(SipHeaderNames.Timestamp) is { } timestamp)
        {
            response.Headers.Add(SipHeaderNames.Timestamp, timestamp);
        }

        response.From = request.From;
        response.CallId = request.CallId;
        response.CSeq = request.CSeq;
        response.Vias = request.Vias;
        return response;
    }
}
