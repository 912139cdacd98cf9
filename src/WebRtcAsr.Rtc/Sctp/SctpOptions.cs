namespace WebRtcAsr.Rtc.Sctp;

/// <summary>Limits and timers of one association. Defaults follow what WebRTC stacks use.</summary>
public sealed class SctpOptions
{
    /// <summary>Our SCTP port and the peer's (SDP a=sctp-port, 5000 in practice).</summary>
    public ushort LocalPort { get; init; } = 5000;

    public ushort RemotePort { get; init; } = 5000;

    /// <summary>Largest SCTP packet we send (fits a DTLS record in a 1280-byte IPv6 path).</summary>
    public int Mtu { get; init; } = 1200;

    /// <summary>Largest message we reassemble: what our SDP a=max-message-size announces.</summary>
    public int MaxMessageSize { get; init; } = 256 * 1024;

    /// <summary>
    /// Largest message the peer accepts: its SDP a=max-message-size (0 means no limit, RFC 8841 §6);
    /// null when unknown, then our own <see cref="MaxMessageSize"/> applies to sending too.
    /// </summary>
    public int? PeerMaxMessageSize { get; init; }

    /// <summary>Bytes we hold for sending (queued plus unacknowledged) before Send refuses.</summary>
    public int SendBufferLimit { get; init; } = 4 * 1024 * 1024;

    /// <summary>Bytes we hold received (reassembly plus undelivered events); our advertised window.</summary>
    public int ReceiveBufferLimit { get; init; } = 1024 * 1024;

    /// <summary>Streams we ask for in each direction (the negotiated count is the minimum of both ends).</summary>
    public ushort MaxStreams { get; init; } = 1024;

    public long RtoInitialMicros { get; init; } = 1_000_000;

    /// <summary>Above the delayed-SACK time so that a lone packet is not retransmitted spuriously.</summary>
    public long RtoMinMicros { get; init; } = 400_000;

    public long RtoMaxMicros { get; init; } = 60_000_000;

    /// <summary>Association.Max.Retrans: consecutive timeouts before the peer is declared unreachable.</summary>
    public int MaxRetransmissions { get; init; } = 10;

    /// <summary>Max.Init.Retransmits for INIT and COOKIE-ECHO.</summary>
    public int MaxInitRetransmissions { get; init; } = 8;

    public long DelayedAckMicros { get; init; } = 200_000;

    public long HeartbeatIntervalMicros { get; init; } = 30_000_000;

    public long CookieLifetimeMicros { get; init; } = 60_000_000;

    /// <summary>HMAC key for state cookies; random per association when null.</summary>
    public byte[]? CookieSecret { get; init; }

    /// <summary>Fixed initial TSN instead of a random one, so tests can start next to the wrap.</summary>
    internal uint? InitialTsn { get; init; }

    /// <summary>Events waiting to be polled before new data is refused by the window.</summary>
    public int MaxPendingEvents { get; init; } = 4096;
}
