namespace WebRtcAsr.Rtc.Sctp;

/// <summary>What an association reports to its owner.</summary>
public enum SctpEventKind
{
    /// <summary>The four-way handshake completed.</summary>
    Established,

    /// <summary>A whole user message arrived (Data, StreamId, Ppid).</summary>
    Message,

    /// <summary>The peer reset its outgoing streams, i.e. our incoming ones (Streams).</summary>
    IncomingStreamsReset,

    /// <summary>Our request to reset outgoing streams was answered (Streams).</summary>
    OutgoingStreamsReset,

    /// <summary>The association ended: shutdown, abort or failure (Reason).</summary>
    Closed,
}

/// <summary>One event from <see cref="SctpAssociation.PollEvent"/>.</summary>
public readonly record struct SctpEvent(
    SctpEventKind Kind,
    ushort StreamId = 0,
    uint Ppid = 0,
    byte[]? Data = null,
    ushort[]? Streams = null,
    string? Reason = null);

/// <summary>Outcome of <see cref="SctpAssociation.Send"/>.</summary>
public enum SctpSendStatus
{
    Ok,
    NotConnected,
    MessageTooLarge,
    BufferFull,
    InvalidStream,
    StreamResetPending,
    EmptyMessage,
}

/// <summary>Per-message reliability (RFC 3758 PR-SCTP): at most one limit applies.</summary>
public readonly record struct SctpSendOptions(bool Unordered = false, int? MaxRetransmits = null, long? LifetimeMicros = null);

/// <summary>Association states (RFC 9260 §4).</summary>
public enum SctpAssociationState
{
    Closed,
    CookieWait,
    CookieEchoed,
    Established,
    ShutdownPending,
    ShutdownSent,
    ShutdownReceived,
    ShutdownAckSent,
}
