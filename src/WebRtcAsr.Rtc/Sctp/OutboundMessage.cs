namespace WebRtcAsr.Rtc.Sctp;

/// <summary>A user message being sent: its bytes, stream, and how far it has been cut into DATA chunks.</summary>
internal sealed class OutboundMessage
{
    public required byte[] Data;
    public required int Length;
    public required ushort StreamId;
    public required uint Ppid;
    public required bool Unordered;
    public required int MaxRetransmits; // -1: fully reliable
    public required long ExpiryMicros; // long.MaxValue: no lifetime
    public ushort Ssn;
    public int NextOffset; // bytes already given TSNs
    public bool Abandoned;
    public int BytesReleased; // bytes no longer counted as buffered

    public bool FullySent => NextOffset >= Length;

    public bool Started => NextOffset > 0;
}

/// <summary>One DATA chunk sent and not yet cumulatively acknowledged.</summary>
internal sealed class OutboundFragment
{
    public required OutboundMessage Message;
    public required int Offset;
    public required int Length;
    public required uint Tsn;
    public required bool Beginning;
    public required bool Ending;
    public long SentAtMicros;
    public int TransmitCount;
    public bool GapAcked;
    public bool InFlight; // counted in the flight size
    public bool NeedsRetransmit;
    public int MissIndications;
    public bool Abandoned;
    public bool Released; // bytes already subtracted from the buffered amount

    public ReadOnlySpan<byte> Payload => Message.Data.AsSpan(Offset, Length);
}
