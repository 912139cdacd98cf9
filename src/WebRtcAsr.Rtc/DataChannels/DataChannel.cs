namespace WebRtcAsr.Rtc.DataChannels;

/// <summary>Data channel states (as RTCDataChannel.readyState).</summary>
public enum DataChannelState
{
    Connecting,
    Open,
    Closing,
    Closed,
}

/// <summary>What a channel is asked to be when it is created (as RTCDataChannelInit).</summary>
public sealed record DataChannelOptions
{
    public bool Ordered { get; init; } = true;

    /// <summary>Partial reliability: retransmissions per message (exclusive with the lifetime).</summary>
    public int? MaxRetransmits { get; init; }

    /// <summary>Partial reliability: how long a message is retried, in milliseconds.</summary>
    public int? MaxPacketLifeTimeMs { get; init; }

    public string Protocol { get; init; } = string.Empty;

    /// <summary>Priority carried in the DATA_CHANNEL_OPEN message (RFC 8832 §5.1).</summary>
    public ushort Priority { get; init; }

    /// <summary>Pre-negotiated channel on this stream id: no DCEP, open at once (RTCDataChannelInit.negotiated).</summary>
    public ushort? NegotiatedId { get; init; }
}

/// <summary>One data channel on an SCTP stream (RFC 8831): label, reliability, state.</summary>
public sealed class DataChannel
{
    private readonly DataChannelTransport _transport;

    internal DataChannel(DataChannelTransport transport, ushort id, string label, string protocol, bool ordered,
        int? maxRetransmits, int? maxPacketLifeTimeMs, ushort priority, bool negotiated, DataChannelState state)
    {
        _transport = transport;
        Id = id;
        Label = label;
        Protocol = protocol;
        Ordered = ordered;
        MaxRetransmits = maxRetransmits;
        MaxPacketLifeTimeMs = maxPacketLifeTimeMs;
        Priority = priority;
        Negotiated = negotiated;
        State = state;
    }

    /// <summary>SCTP stream id.</summary>
    public ushort Id { get; }

    public string Label { get; }

    public string Protocol { get; }

    public bool Ordered { get; }

    public int? MaxRetransmits { get; }

    public int? MaxPacketLifeTimeMs { get; }

    public ushort Priority { get; }

    public bool Negotiated { get; }

    public DataChannelState State { get; internal set; }

    /// <summary>Bytes queued or unacknowledged on this channel.</summary>
    public long BufferedAmount => _transport.Association.BufferedAmount(Id);

    public bool IsReliable => MaxRetransmits is null && MaxPacketLifeTimeMs is null;

    // Until the peer's ACK arrives, messages must go ordered (RFC 8832 §6).
    internal bool AckReceived { get; set; }

    internal bool OutgoingReset { get; set; }

    internal bool IncomingReset { get; set; }

    // Deprecated PPID 52/54 fragments waiting for their final part.
    internal List<byte>? Partial { get; set; }

    public override string ToString() => $"DataChannel {Id} '{Label}' {State}";
}
