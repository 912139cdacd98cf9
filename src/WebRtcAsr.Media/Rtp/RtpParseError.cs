namespace WebRtcAsr.Media.Rtp;

/// <summary>Why an RTP packet or one of its header extensions was rejected.</summary>
public enum RtpParseError
{
    None = 0,
    /// <summary>Shorter than the 12-byte fixed header.</summary>
    TooShort,
    /// <summary>Version field is not 2.</summary>
    BadVersion,
    /// <summary>The CSRC list runs past the end of the packet.</summary>
    CsrcOverrun,
    /// <summary>The header extension header or its declared length runs past the end.</summary>
    ExtensionOverrun,
    /// <summary>The padding count is zero or larger than what remains after the header.</summary>
    BadPadding,
    /// <summary>An RFC 8285 element's length runs past the extension block.</summary>
    ExtensionElementOverrun,
}
