namespace WebRtcAsr.Sip.Messages;

/// <summary>
/// Checks and parses the header fields every message must carry correctly (RFC 3261 §8.1.1, §20) and fills
/// the parsed properties of the message; returns a reason for the first problem found.
/// </summary>
internal static class SipHeaderValidation
{
    private static readonly string[] SingleValued =
    [
        SipHeaderNames.From, SipHeaderNames.To, SipHeaderNames.CallId, SipHeaderNames.CSeq,
        SipHeaderNames.MaxForwards, SipHeaderNames.ContentType, SipHeaderNames.Expires,
    ];

    public static string? Validate(SipMessage message, SipLimits limits, out int status)
    {
        status = 400;

        // Via first: without it no response can be routed, so keep it even when later checks fail.
        var viaValues = message.Headers.GetValues(SipHeaderNames.Via);
        if (viaValues.Count == 0)
        {
            return "no Via header field";
        }

        if (viaValues.Count > limits.MaxListValues)
        {
            return $"more than {limits.MaxListValues} Via values";
        }

        var vias = new List<SipVia>(viaValues.Count);
        foreach (var value in viaValues)
        {
            if (!SipVia.TryParse(value, out var via, out var viaError))
            {
                return "Via: " + viaError;
            }

            vias.Add(via);
        }

        message.Vias = vias;

        var from = message.Headers.Get(SipHeaderNames.From);
        if (from is null)
        {
            return "no From header field";
        }

        if (!SipNameAddress.TryParse(from, out var fromAddress, out var fromError))
        {
            return "From: " + fromError;
        }

        message.From = fromAddress;

        var to = message.Headers.Get(SipHeaderNames.To);
        if (to is null)
        {
            return "no To header field";
        }

        if (!SipNameAddress.TryParse(to, out var toAddress, out var toError))
        {
            return "To: " + toError;
        }

        message.To = toAddress;

        var callId = message.Headers.Get(SipHeaderNames.CallId);
        if (string.IsNullOrEmpty(callId) || SipSyntax.ContainsWhitespace(callId))
        {
            return callId is null ? "no Call-ID header field" : "Call-ID is empty or has whitespace";
        }

        message.CallId = callId;

        var cseqText = message.Headers.Get(SipHeaderNames.CSeq);
        if (cseqText is null)
        {
            return "no CSeq header field";
        }

        if (!SipCSeq.TryParse(cseqText, out var cseq, out var cseqError))
        {
            return cseqError;
        }

        message.CSeq = cseq;

        // Checked after the dialog identifiers are parsed so that a 400 can still be addressed (RFC 4475 §3.3.8).
        foreach (var name in SingleValued)
        {
            if (message.Headers.CountOf(name) > 1)
            {
                return $"more than one {name} header field";
            }
        }

        if (message is SipRequest request && !string.Equals(request.Method, cseq.Method, StringComparison.Ordinal))
        {
            return "CSeq method does not match the request method";
        }

        if (message.Headers.Get(SipHeaderNames.MaxForwards) is { } maxForwards)
        {
            if (!SipSyntax.TryParseDecimal(maxForwards, 255, out var hops))
            {
                return "Max-Forwards is not a decimal from 0 to 255";
            }

            message.MaxForwards = (int)hops;
        }

        if (message.Headers.Get(SipHeaderNames.Expires) is { } expires && !SipSyntax.TryParseDecimal(expires, uint.MaxValue, out _))
        {
            return "Expires is not a decimal below 2^32";
        }

        foreach (var name in (ReadOnlySpan<string>)[SipHeaderNames.Contact, SipHeaderNames.Route, SipHeaderNames.RecordRoute])
        {
            var values = message.Headers.GetValues(name);
            if (values.Count > limits.MaxListValues)
            {
                return $"more than {limits.MaxListValues} {name} values";
            }

            foreach (var value in values)
            {
                if (name == SipHeaderNames.Contact && value == "*")
                {
                    continue;
                }

                if (!SipNameAddress.TryParse(value, out _, out var addressError))
                {
                    return name + ": " + addressError;
                }
            }
        }

        return null;
    }
}
