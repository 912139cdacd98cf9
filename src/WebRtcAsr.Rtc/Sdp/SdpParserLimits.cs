namespace WebRtcAsr.Rtc.Sdp;

/// <summary>Bounds on what the SDP parser accepts; a browser offer is a few KiB and under 200 lines.</summary>
public sealed record SdpParserLimits
{
    public static SdpParserLimits Default { get; } = new();

    public int MaxLength { get; init; } = 64 * 1024;

    public int MaxLines { get; init; } = 4096;

    public int MaxLineLength { get; init; } = 4096;

    public int MaxMediaSections { get; init; } = 32;

    public int MaxAttributesPerSection { get; init; } = 1024;
}
