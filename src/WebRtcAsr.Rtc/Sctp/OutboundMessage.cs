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

/// <summary>One DATA chunk sent and not yet cumulatively acknowledged; recycled once it is.</summary>
internal sealed class OutboundFragment
{
    public OutboundMessage Message = null!;
    public int Offset;
    public int Length;
    public uint Tsn;
    public bool Beginning;
    public bool Ending;
    public long SentAtMicros;
    public int TransmitCount;
    public bool GapAcked;
    public bool InFlight; // counted in the flight size
    public bool NeedsRetransmit;
    public int MissIndications;
    public bool FastRetransmitted;
    public bool Abandoned;
    public bool Released; // bytes already subtracted from the buffered amount

    public ReadOnlySpan<byte> Payload => Message.Data.AsSpan(Offset, Length);

    public void Set(OutboundMessage message, int offset, int length, uint tsn)
    {
        Message = message;
        Offset = offset;
        Length = length;
        Tsn = tsn;
        Beginning = offset == 0;
        Ending = offset + length == message.Length;
        SentAtMicros = 0;
        TransmitCount = 0;
        GapAcked = InFlight = NeedsRetransmit = FastRetransmitted = Abandoned = Released = false;
        MissIndications = 0;
    }
}
