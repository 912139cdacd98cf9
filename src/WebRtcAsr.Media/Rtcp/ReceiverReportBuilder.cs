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

    /// <summary>
    /// Writes the compound a receive-only endpoint sends (RFC 3550 6.1): an RR with one block for
    /// the source (none before any packet arrived) followed by SDES CNAME. Returns the bytes
    /// written, or 0 when <paramref name="destination"/> is too small.
    /// </summary>
    public static int WriteCompound(Span<byte> destination, uint reporterSsrc, ReadOnlySpan<byte> cname,
        RtpReceiveStatistics? statistics, long nowMicros)
    {
        Span<ReportBlock> blocks = stackalloc ReportBlock[1];
        int count = 0;
        if (statistics is not null && statistics.PacketsReceived > 0)
        {
            blocks[0] = CreateReportBlock(statistics, nowMicros);
            count = 1;
        }

        int rr = RtcpWriter.WriteReceiverReport(destination, reporterSsrc, blocks[..count]);
        if (rr == 0)
        {
            return 0;
        }

        int sdes = RtcpWriter.WriteSourceDescription(destination[rr..], reporterSsrc, SdesItemType.CName, cname);
        return sdes == 0 ? 0 : rr + sdes;
    }
}
