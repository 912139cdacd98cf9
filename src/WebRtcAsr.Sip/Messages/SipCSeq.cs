using System.Globalization;

namespace WebRtcAsr.Sip.Messages;

/// <summary>A CSeq value: sequence number (below 2^31, RFC 3261 §8.1.1.5) and method.</summary>
public readonly record struct SipCSeq(long Number, string Method)
{
    public override string ToString() => Number.ToString(CultureInfo.InvariantCulture) + " " + Method;

    public static bool TryParse(ReadOnlySpan<char> text, out SipCSeq cseq, out string? error)
    {
        cseq = default;
        var s = SipSyntax.TrimLws(text);
        var n = 0;
        while (n < s.Length && !SipSyntax.IsWhitespace(s[n]))
        {
            n++;
        }

        if (!SipSyntax.TryParseDecimal(s[..n], int.MaxValue, out var number))
        {
            error = "CSeq number is not a decimal below 2^31";
            return false;
        }

        var method = SipSyntax.TrimLws(s[n..]);
        if (!SipSyntax.IsToken(method))
        {
            error = "CSeq method is not a token";
            return false;
        }

        cseq = new SipCSeq(number, method.ToString());
        error = null;
        return true;
    }
}
