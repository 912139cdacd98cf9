namespace WebRtcAsr.Rtc.Transport;

/// <summary>Why the transport dropped a datagram.</summary>
public enum TransportDropReason
{
    /// <summary>From an address no peer owns, and not a STUN check naming a known ufrag.</summary>
    UnknownSource,

    /// <summary>The peer's queue was full (its worker is behind).</summary>
    PeerQueueFull,

    /// <summary>Larger than any WebRTC datagram we accept.</summary>
    TooLarge,

    /// <summary>The socket refused to send.</summary>
    SendFailed,
}

/// <summary>Packets in and out, and drops by reason. Updated with Interlocked; read at any time.</summary>
public sealed class UdpPeerTransportCounters
{
    private readonly long[] _dropped = new long[Enum.GetValues<TransportDropReason>().Length];
    private long _packetsIn;
    private long _packetsOut;
    private long _bytesIn;
    private long _bytesOut;

    public long PacketsIn => Interlocked.Read(ref _packetsIn);

    public long PacketsOut => Interlocked.Read(ref _packetsOut);

    public long BytesIn => Interlocked.Read(ref _bytesIn);

    public long BytesOut => Interlocked.Read(ref _bytesOut);

    public long Dropped(TransportDropReason reason) => Interlocked.Read(ref _dropped[(int)reason]);

    internal void CountIn(int bytes)
    {
        Interlocked.Increment(ref _packetsIn);
        Interlocked.Add(ref _bytesIn, bytes);
    }

    internal void CountOut(int bytes)
    {
        Interlocked.Increment(ref _packetsOut);
        Interlocked.Add(ref _bytesOut, bytes);
    }

    internal long CountDrop(TransportDropReason reason) => Interlocked.Increment(ref _dropped[(int)reason]);
}
