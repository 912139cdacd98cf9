namespace WebRtcAsr.Sip.Messages;

/// <summary>Bounds applied while parsing one SIP message; exceeding any of them is a parse error with a reason.</summary>
public sealed record SipLimits
{
    /// <summary>Largest accepted message, start line to end of body.</summary>
    public int MaxMessageBytes { get; init; } = 65_535;

    /// <summary>Most header fields (after unfolding) one message may carry.</summary>
    public int MaxHeaderCount { get; init; } = 100;

    /// <summary>Longest start line or header field (after unfolding), in bytes.</summary>
    public int MaxLineBytes { get; init; } = 8_192;

    /// <summary>Largest body.</summary>
    public int MaxBodyBytes { get; init; } = 32_768;

    /// <summary>Most values one list header (Via, Route, ...) may expand to.</summary>
    public int MaxListValues { get; init; } = 32;

    public static SipLimits Default { get; } = new();
}
