using WebRtcAsr.Rtc.Sctp;

namespace WebRtcAsr.Rtc.DataChannels;

/// <summary>Limits of the data channels on one association.</summary>
public sealed class DataChannelTransportOptions
{
    public SctpOptions Sctp { get; init; } = new();

    /// <summary>Channels open at once (both sides' together); further OPENs are refused.</summary>
    public int MaxChannels { get; init; } = 256;

    /// <summary>
    /// Accept a peer's OPEN on a free stream of our parity too. RFC 8832 §6 gives the DTLS client the
    /// even ids, but aiortc (1.4) picks its parity from its ICE role and opens odd ids as DTLS client;
    /// a server that must serve such peers accepts either parity (our own ids still skip taken streams).
    /// </summary>
    public bool AcceptOpenOnEitherParity { get; init; }
}
