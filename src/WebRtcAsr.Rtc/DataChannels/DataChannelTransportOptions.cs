using WebRtcAsr.Rtc.Sctp;

namespace WebRtcAsr.Rtc.DataChannels;

/// <summary>Limits of the data channels on one association.</summary>
public sealed class DataChannelTransportOptions
{
    public SctpOptions Sctp { get; init; } = new();

    /// <summary>Channels open at once (both sides' together); further OPENs are refused.</summary>
    public int MaxChannels { get; init; } = 256;
}
