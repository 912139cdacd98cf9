using System.Net;
using WebRtcAsr.Sip.Messages;
using WebRtcAsr.Sip.Security;
using WebRtcAsr.Sip.Transactions;

namespace WebRtcAsr.Sip;

/// <summary>Configuration of the SIP trunk endpoint (a UAS that answers calls to feed their audio in).</summary>
public sealed record SipServerOptions
{
    /// <summary>Host (name or address) that peers reach us at: used in Contact and in the Via of our requests.</summary>
    public required string SignalingHost { get; init; }

    /// <summary>Port of our SIP listener (UDP and TCP).</summary>
    public int SignalingPort { get; init; } = 5060;

    /// <summary>Address we receive RTP on (SDP c=).</summary>
    public required IPAddress MediaAddress { get; init; }

    /// <summary>RTP port range (even ports for RTP, the odd one above for RTCP).</summary>
    public int MediaPortFirst { get; init; } = 20_000;

    public int MediaPortLast { get; init; } = 29_999;

    /// <summary>Time between 180 Ringing and 200 OK; zero answers at once without 180.</summary>
    public TimeSpan RingingDuration { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// When set, the 200 OK of a new call waits until the host reports its RTP port bound
    /// (<see cref="SipServer.ReportMediaReady"/>) or refuses it (<see cref="SipServer.RejectCall"/>), so the caller's
    /// first packets are never sent to a closed port. No report within <see cref="MediaReadyTimeout"/> → 503.
    /// </summary>
    public bool AnswerAfterMediaReady { get; init; }

    /// <summary>How long an offered call waits for <see cref="SipServer.ReportMediaReady"/> (with <see cref="AnswerAfterMediaReady"/>).</summary>
    public TimeSpan MediaReadyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Concurrent calls; more get 486 Busy Here.</summary>
    public int MaxCalls { get; init; } = 100;

    /// <summary>Concurrent transactions; beyond it new requests get 503 with Retry-After.</summary>
    public int MaxTransactions { get; init; } = 4_000;

    /// <summary>Bounded queues towards the driver/host.</summary>
    public int MaxPendingTransmits { get; init; } = 8_192;

    public int MaxPendingEvents { get; init; } = 4_096;

    /// <summary>Trunk peers allowed to send requests (CIDR); empty allows all. Others get 403.</summary>
    public IReadOnlyList<string> AllowedSources { get; init; } = [];

    /// <summary>Per-source request rate (token bucket); requests beyond it are dropped and counted.</summary>
    public double RequestsPerSecondPerSource { get; init; } = 200;

    public double RequestBurstPerSource { get; init; } = 400;

    public int MaxTrackedSources { get; init; } = 10_000;

    /// <summary>Digest authentication of initial INVITEs; null disables it.</summary>
    public DigestAuthOptions? Authentication { get; init; }

    public bool PreferOpus { get; init; }

    public bool AnswerSendRecv { get; init; }

    public int PacketTimeMs { get; init; } = 20;

    public string ServerName { get; init; } = "WebRtcAsr";

    public SipTimerSettings Timers { get; init; } = SipTimerSettings.Default;

    public SipLimits Limits { get; init; } = SipLimits.Default;
}
