namespace WebRtcAsr.Rtc.Sctp;

/// <summary>What happened on one association, for metrics and tests.</summary>
public sealed class SctpCounters
{
    public long PacketsReceived { get; internal set; }

    public long PacketsSent { get; internal set; }

    /// <summary>Packets dropped whole: bad checksum, truncation, wrong tag or port, hostile lengths.</summary>
    public long PacketsDropped { get; internal set; }

    /// <summary>Single chunks that were malformed or not allowed in the current state.</summary>
    public long ChunksDropped { get; internal set; }

    public long DataChunksSent { get; internal set; }

    public long DataChunksRetransmitted { get; internal set; }

    public long FastRetransmits { get; internal set; }

    public long RetransmissionTimeouts { get; internal set; }

    public long DuplicateTsnsReceived { get; internal set; }

    public long DataChunksDroppedNoRoom { get; internal set; }

    public long MessagesAbandoned { get; internal set; }

    public long HeartbeatsSent { get; internal set; }

    public long HeartbeatAcksReceived { get; internal set; }

    public long CookiesRejected { get; internal set; }

    /// <summary>Why the last packet or chunk was dropped (for diagnostics).</summary>
    public string? LastDropReason { get; internal set; }
}
