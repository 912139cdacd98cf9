namespace WebRtcAsr.Media.Rtp;

/// <summary>The fixed-header fields an <see cref="RtpPacketWriter"/> writes.</summary>
public readonly record struct RtpHeader(
    byte PayloadType,
    ushort SequenceNumber,
    uint Timestamp,
    uint Ssrc,
    bool Marker = false);
