using WebRtcAsr.Media.Rtp;

namespace WebRtcAsr.Media.Rtcp;

/// <summary>
/// Turns <see cref="RtpReceiveStatistics"/> into a report block (RFC 3550 6.4.1 and A.3):
/// fraction lost since the previous report, cumulative loss clamped to 24 bits signed, extended
/// highest sequence, jitter, LSR and DLSR from the injected clock.
/// </summary>
public static class ReceiverReportBuilder
{
    /// <summary>
    /// Builds the block for one source. Moves the statistics' interval mark, so call exactly once
    /// per report sent.
    /// </summary>
    public static ReportBlock CreateReportBlock(RtpReceiveStatistics statistics, long nowMicros)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        byte fraction = statistics.TakeFractionLost();
        long lost = Math.Clamp(statistics.CumulativeLost, ReportBlock.MinCumulativeLost, ReportBlock.MaxCumulativeLost);
        uint dlsr = 0;
        if (statistics.LastSenderReportArrivalMicros is long srArrival)
        {
            // DLSR is in 1/65536 s; a negative delay (clock misuse) reports 0.
            long delayMicros = Math.Max(0, nowMicros - srArrival);
            dlsr = (uint)Math.Min(uint.MaxValue, (delayMicros * 65536) / 1_000_000);
        }

        return new ReportBlock(
            statistics.Ssrc,
            fraction,
            (int)lost,
            statistics.ExtendedHighestSequence,
            statistics.Jitter,
            statistics.LastSenderReportNtpMiddle,
            dlsr);
    }
}
