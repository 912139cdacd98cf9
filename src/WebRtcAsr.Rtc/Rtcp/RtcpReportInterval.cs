namespace WebRtcAsr.Rtc.Rtcp;

/// <summary>
/// The RTCP transmission interval of RFC 3550 6.3.1 and appendix A.7 (<c>rtcp_interval</c>): the
/// receivers' share of the RTCP bandwidth (5% of the session) divided among the members, never less
/// than a minimum (halved for the first report), randomized over [0.5, 1.5] times that, and divided
/// by e - 3/2 to compensate for the timer reconsideration algorithm's bias to send later. The
/// random draw is the caller's, so the function is pure and testable.
/// </summary>
public static class RtcpReportInterval
{
    /// <summary>e - 3/2 (A.7 COMPENSATION).</summary>
    public const double Compensation = Math.E - 1.5;

    /// <summary>Fraction of the session bandwidth RTCP may use (RFC 3550 6.2).</summary>
    public const double RtcpBandwidthFraction = 0.05;

    /// <summary>Senders' share of the RTCP bandwidth when they are at most a quarter of the members (A.7).</summary>
    public const double SenderBandwidthFraction = 0.25;

    /// <summary>Bytes of IPv4 and UDP headers counted in the average RTCP packet size (RFC 3550 6.2).</summary>
    public const int UdpIpv4Overhead = 28;

    /// <summary>
    /// The interval until the next report, in microseconds.
    /// </summary>
    /// <param name="members">Session members, ourselves included (2 for one browser and the server).</param>
    /// <param name="senders">Members that sent RTP recently (the browser: 1).</param>
    /// <param name="weSent">Whether we sent RTP recently (the server is receive-only: false).</param>
    /// <param name="sessionBandwidthBitsPerSecond">The session bandwidth; RTCP gets <see cref="RtcpBandwidthFraction"/> of it.</param>
    /// <param name="averageRtcpSize">Average compound RTCP size in bytes, lower-layer headers included (RFC 3550 6.3.3).</param>
    /// <param name="minimumMicros">The floor (RFC 3550: 5 s; RFC 4585 3.4 lets AVPF sessions use less).</param>
    /// <param name="initial">True for the first report: the floor is halved.</param>
    /// <param name="random">A uniform draw in [0, 1).</param>
    public static long ComputeMicros(int members, int senders, bool weSent, double sessionBandwidthBitsPerSecond,
        double averageRtcpSize, long minimumMicros, bool initial, double random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(members);
        ArgumentOutOfRangeException.ThrowIfNegative(senders);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sessionBandwidthBitsPerSecond);
        double minimum = minimumMicros / 1e6;
        if (initial)
        {
            minimum /= 2;
        }

        double rtcpBandwidth = sessionBandwidthBitsPerSecond * RtcpBandwidthFraction / 8; // bytes per second
        double n = members;
        if (senders <= members * SenderBandwidthFraction)
        {
            if (weSent)
            {
                rtcpBandwidth *= SenderBandwidthFraction;
                n = senders;
            }
            else
            {
                rtcpBandwidth *= 1 - SenderBandwidthFraction;
                n -= senders;
            }
        }

        double seconds = Math.Max(minimum, averageRtcpSize * n / rtcpBandwidth);
        seconds *= Math.Clamp(random, 0, 1) + 0.5;
        seconds /= Compensation;
        return (long)(seconds * 1e6);
    }
}
