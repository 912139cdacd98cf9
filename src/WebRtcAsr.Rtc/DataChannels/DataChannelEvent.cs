namespace WebRtcAsr.Rtc.DataChannels;

/// <summary>What data channels report to their owner.</summary>
public enum DataChannelEventKind
{
    AssociationEstablished,

    /// <summary>A channel is open: ours was acknowledged, or the peer opened one.</summary>
    ChannelOpened,

    /// <summary>A message arrived (Channel, IsString, Data).</summary>
    Message,

    /// <summary>A channel closed, from either side, after both stream directions were reset.</summary>
    ChannelClosed,

    /// <summary>The association ended (Reason).</summary>
    AssociationClosed,
}

/// <summary>One event from <see cref="DataChannelTransport.PollEvent"/>.</summary>
public readonly record struct DataChannelEvent(
    DataChannelEventKind Kind,
    DataChannel? Channel = null,
    bool IsString = false,
    byte[]? Data = null,
    string? Reason = null);

/// <summary>Outcome of sending on a data channel.</summary>
public enum DataChannelSendStatus
{
    Ok,
    ChannelNotOpen,
    NotConnected,
    MessageTooLarge,
    BufferFull,
}
