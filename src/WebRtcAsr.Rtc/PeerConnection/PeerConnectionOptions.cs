using System.Net;
using WebRtcAsr.Rtc.Certificates;
using WebRtcAsr.Rtc.Dtls;
using WebRtcAsr.Rtc.Ice;
using WebRtcAsr.Rtc.Rtcp;

namespace WebRtcAsr.Rtc.PeerConnection;

/// <summary>What a <see cref="PeerConnection"/> is built from: our certificate and addresses, and its limits.</summary>
public sealed record PeerConnectionOptions
{
    /// <summary>The DTLS certificate we present; its fingerprint goes into our SDP.</summary>
    public required DtlsCertificate Certificate { get; init; }

    /// <summary>Addresses the UDP socket is reachable at, best first: our host candidates.</summary>
    public IReadOnlyList<IPEndPoint> HostCandidates { get; init; } = [];

    /// <summary>A public address for 1:1 NAT, announced first with the port of the first host candidate.</summary>
    public IPAddress? PublicAddress { get; init; }

    /// <summary>Longest SDP accepted (offer or answer), in characters.</summary>
    public int MaxSdpLength { get; init; } = 64 * 1024;

    /// <summary>Largest data channel message sent or received (announced as a=max-message-size).</summary>
    public int MaxMessageSize { get; init; } = 256 * 1024;

    /// <summary>Open data channels at most; further OPENs are refused with a stream reset.</summary>
    public int MaxDataChannels { get; init; } = 16;

    /// <summary>Events queued at most; audio packets past it are dropped and counted.</summary>
    public int MaxPendingEvents { get; init; } = 1024;

    /// <summary>Outgoing RTP packets queued at most (client role).</summary>
    public int MaxPendingRtp { get; init; } = 256;

    /// <summary>
    /// How long a peer may take from creation to Connected (ICE and DTLS). A peer that keeps ICE
    /// consent fresh but never completes DTLS would otherwise hold a handshake slot for ever.
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a graceful close waits for the SCTP SHUTDOWN to complete before aborting.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Client role: interval of consent checks once connected (RFC 7675: 4-6 s).</summary>
    public TimeSpan ConsentInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Client role: interval of connectivity checks before a response (RFC 8445 Ta: 50 ms).</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    public IceAgentOptions Ice { get; init; } = new();

    /// <summary>Server role: RTCP receiver reports about the received audio (RFC 3550 6.4.2); null sends none.</summary>
    public RtcpReceiverReportOptions? ReceiverReports { get; init; } = new();

    public DtlsOptions? Dtls { get; init; }

    /// <summary>SCTP retransmission timeout floor; lower it for in-memory tests with short simulated delays.</summary>
    public long SctpRtoMinMicros { get; init; } = 400_000;

    /// <summary>SCTP initial retransmission timeout.</summary>
    public long SctpRtoInitialMicros { get; init; } = 1_000_000;

    /// <summary>SCTP delayed acknowledgement.</summary>
    public long SctpDelayedAckMicros { get; init; } = 200_000;
}
