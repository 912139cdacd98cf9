using System.Net;

namespace WebRtcAsr.Sip.Sdp;

/// <summary>How we answer offers: our media address and port, codec preference and direction.</summary>
public sealed record SdpAnswerOptions
{
    /// <summary>Address put in c= and o= (where callers send RTP).</summary>
    public required IPAddress MediaAddress { get; init; }

    /// <summary>Our RTP port for this call (RTCP on port+1).</summary>
    public required int LocalPort { get; init; }

    public ulong SessionId { get; init; } = 1;

    public ulong SessionVersion { get; init; } = 1;

    /// <summary>Choose Opus when the caller offers it, even if it lists G.711 first.</summary>
    public bool PreferOpus { get; init; }

    /// <summary>Answer sendrecv (some trunks insist) instead of recvonly: we never send media either way.</summary>
    public bool AnswerSendRecv { get; init; }

    /// <summary>Packet time we ask for when the offer does not say.</summary>
    public int PacketTimeMs { get; init; } = 20;
}
