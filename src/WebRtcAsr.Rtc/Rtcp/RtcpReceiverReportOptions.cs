namespace WebRtcAsr.Rtc.Rtcp;

/// <summary>How a receive-only peer schedules its RTCP receiver reports (see <see cref="RtcpReportInterval"/>).</summary>
public sealed record RtcpReceiverReportOptions
{
    /// <summary>
    /// Floor of the report interval before randomization (halved for the first report). RFC 3550's
    /// 5 s is lowered to 4 s as RFC 4585 3.4 allows for AVPF (WebRTC's profile): with one sender and
    /// one receiver the interval is then 1.6–4.9 s, the first report 0.8–2.5 s after connecting.
    /// </summary>
    public TimeSpan MinimumInterval { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Session bandwidth the RTCP share is computed from (RFC 3550 6.2): Opus at up to 64 kb/s.</summary>
    public double SessionBandwidthBitsPerSecond { get; init; } = 64_000;

    /// <summary>Seed of the interval's random draws, for reproducible runs (tests, simulations); null draws unpredictably.</summary>
    public int? RandomSeed { get; init; }
}
