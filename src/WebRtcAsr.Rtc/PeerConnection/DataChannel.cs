namespace WebRtcAsr.Rtc.PeerConnection;

/// <summary>
/// One data channel (RFC 8831) on a peer's SCTP association: its stream, label and reliability as
/// the DATA_CHANNEL_OPEN message (RFC 8832) announced them. Owned by its <see cref="PeerConnection"/>.
/// </summary>
public sealed class DataChannel
{
    internal DataChannel(ushort streamId, string label, string protocol, DataChannelReliability reliability, bool openedLocally)
    {
        StreamId = streamId;
        Label = label;
        Protocol = protocol;
        Reliability = reliability;
        OpenedLocally = openedLocally;
    }

    /// <summary>The SCTP stream id, the channel's identity (even: opened by the DTLS client, odd: by the server).</summary>
    public ushort StreamId { get; }

    public string Label { get; }

    public string Protocol { get; }

    public DataChannelReliability Reliability { get; }

    /// <summary>True when this side sent DATA_CHANNEL_OPEN.</summary>
    public bool OpenedLocally { get; }

    /// <summary>True once open (an OPEN received, or our OPEN acknowledged) and until closed.</summary>
    public bool IsOpen { get; internal set; }

    /// <summary>True while our OPEN waits for the association to be established.</summary>
    internal bool OpenPending { get; set; }

    /// <summary>True once our side asked to reset the outgoing stream (closing).</summary>
    internal bool Closing { get; set; }

    public override string ToString() => $"{Label}#{StreamId}";
}

/// <summary>A data channel's ordering and partial reliability (RFC 8832 5.1 channel types).</summary>
public readonly record struct DataChannelReliability(bool Ordered = true, int? MaxRetransmits = null, int? MaxPacketLifeTimeMs = null)
{
    public static DataChannelReliability Reliable => new(true);
}
