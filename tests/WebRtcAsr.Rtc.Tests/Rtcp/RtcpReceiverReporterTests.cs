using WebRtcAsr.TestSupport;
using WebRtcAsr.Media.Rtcp;
using WebRtcAsr.Rtc.Rtcp;

namespace WebRtcAsr.Rtc.Tests.Rtcp;

/// <summary>
/// Receiver reports from received RTP, each expectation worked out by hand from RFC 3550 A.1, A.3
/// and A.8 (fraction lost = lost × 256 / expected, truncated; J += (|D| - J) / 16 in the integer form).
/// </summary>
public sealed class RtcpReceiverReporterTests
{
    private const uint Source = 0x5EED_0001;
    private const int OpusClock = 48_000;
    private const uint FrameTicks = 960; // 20 ms at 48 kHz

    [Fact]
    public void Loss_gives_fraction_and_cumulative_lost_then_the_next_interval_starts_clean()
    {
        var reporter = new RtcpReceiverReporter(OpusClock, 0, random: new Random(1));
        Feed(reporter, [1000, 1001, 1002, 1004, 1005, 1006, 1008, 1009]); // 1003 and 1007 lost

        var first = Report(reporter, 1_000_000);
        Assert.Equal(Source, first.Block!.Value.Ssrc);
        Assert.Equal(1009u, first.Block.Value.ExtendedHighestSequence);
        Assert.Equal(2, first.Block.Value.CumulativeLost); // expected 10, received 8
        Assert.Equal(51, first.Block.Value.FractionLost); // 2 × 256 / 10 = 51.2
        Assert.Equal(reporter.ReporterSsrc, first.ReporterSsrc);
        Assert.Equal(reporter.Cname, first.Cname);
        Assert.Equal(16, first.Cname.Length); // RFC 7022: 96 random bits in base64

        Feed(reporter, Enumerable.Range(1010, 10).Select(s => (ushort)s).ToArray());
        var second = Report(reporter, 2_000_000);
        Assert.Equal(1019u, second.Block!.Value.ExtendedHighestSequence);
        Assert.Equal(2, second.Block.Value.CumulativeLost);
        Assert.Equal(0, second.Block.Value.FractionLost); // nothing lost in this interval
    }

    [Fact]
    public void A_late_packet_after_a_report_takes_its_loss_back()
    {
        var reporter = new RtcpReceiverReporter(OpusClock, 0, random: new Random(1));
        Feed(reporter, [1000, 1001, 1003]);
        var first = Report(reporter, 1_000_000);
        Assert.Equal(1, first.Block!.Value.CumulativeLost); // expected 4, received 3
        Assert.Equal(64, first.Block.Value.FractionLost); // 1 × 256 / 4

        Feed(reporter, [1002, 1004]); // 1002 arrives late, reordered behind 1003
        var second = Report(reporter, 2_000_000);
        Assert.Equal(1004u, second.Block!.Value.ExtendedHighestSequence); // the late packet does not move it back
        Assert.Equal(0, second.Block.Value.CumulativeLost); // expected 5, received 5
        Assert.Equal(0, second.Block.Value.FractionLost); // expected 1 more, received 2: negative loss reports 0
    }

    [Fact]
    public void Reordering_within_an_interval_is_no_loss()
    {
        var reporter = new RtcpReceiverReporter(OpusClock, 0, random: new Random(1));
        Feed(reporter, [1000, 1001, 1003, 1002, 1004]);
        var report = Report(reporter, 1_000_000);
        Assert.Equal(1004u, report.Block!.Value.ExtendedHighestSequence);
        Assert.Equal(0, report.Block.Value.CumulativeLost);
        Assert.Equal(0, report.Block.Value.FractionLost);
    }

    [Fact]
    public void The_sequence_number_wrap_counts_a_cycle()
    {
        var reporter = new RtcpReceiverReporter(OpusClock, 0, random: new Random(1));
        Feed(reporter, [65533, 65534, 65535, 0, 2]); // 1 lost just after the wrap
        var report = Report(reporter, 1_000_000);
        Assert.Equal(65536u + 2, report.Block!.Value.ExtendedHighestSequence); // one cycle, highest 2
        Assert.Equal(1, report.Block.Value.CumulativeLost); // expected 65538 - 65533 + 1 = 6, received 5
        Assert.Equal(42, report.Block.Value.FractionLost); // 256 / 6 = 42.7
    }

    [Fact]
    public void Jitter_follows_appendix_a8()
    {
        // 8 kHz clock, a packet every 20 ms (160 ticks); the third arrives 10 ms (80 ticks) late.
        // Transit 0, 0, 80, 0: D = 0, 80, 80. J×16: 0 → 80 → 80 + 80 - 5 = 155; J = 155 / 16 = 9.
        var reporter = new RtcpReceiverReporter(8000, 0, random: new Random(1));
        reporter.OnRtp(1, 0, Source, 0);
        reporter.OnRtp(2, 160, Source, 20_000);
        reporter.OnRtp(3, 320, Source, 50_000);
        reporter.OnRtp(4, 480, Source, 60_000);
        Assert.Equal(9u, Report(reporter, 1_000_000).Block!.Value.Jitter);
    }

    [Fact]
    public void Packets_on_time_have_no_jitter()
    {
        var reporter = new RtcpReceiverReporter(OpusClock, 0, random: new Random(1));
        Feed(reporter, Enumerable.Range(0, 50).Select(s => (ushort)s).ToArray());
        Assert.Equal(0u, Report(reporter, 1_500_000).Block!.Value.Jitter);
    }

    [Fact]
    public void Lsr_and_dlsr_come_from_the_senders_last_report()
    {
        var reporter = new RtcpReceiverReporter(OpusClock, 0, random: new Random(1));
        Feed(reporter, [10, 11, 12]);
        reporter.OnRtcp(SenderReport(Source, 0x0123_4567_89AB_CDEF), 1_000_000);

        var report = Report(reporter, 1_500_000);
        Assert.Equal(0x4567_89ABu, report.Block!.Value.LastSenderReport); // middle 32 bits of the NTP time
        Assert.Equal(32768u, report.Block.Value.DelaySinceLastSenderReport); // 0.5 s in 1/65536 s
    }

    [Fact]
    public void A_sender_report_before_the_first_packet_is_kept_for_it()
    {
        var reporter = new RtcpReceiverReporter(OpusClock, 0, random: new Random(1));
        reporter.OnRtcp(SenderReport(Source, 0x0000_1111_2222_0000), 100_000);
        Feed(reporter, [10, 11]);

        var report = Report(reporter, 350_000);
        Assert.Equal(0x1111_2222u, report.Block!.Value.LastSenderReport);
        Assert.Equal(16384u, report.Block.Value.DelaySinceLastSenderReport); // 0.25 s
    }

    [Fact]
    public void A_sender_report_from_another_source_sets_nothing()
    {
        var reporter = new RtcpReceiverReporter(OpusClock, 0, random: new Random(1));
        Feed(reporter, [10, 11]);
        reporter.OnRtcp(SenderReport(Source + 1, 0x0123_4567_89AB_CDEF), 100_000);
        var report = Report(reporter, 350_000);
        Assert.Equal(0u, report.Block!.Value.LastSenderReport);
        Assert.Equal(0u, report.Block.Value.DelaySinceLastSenderReport);
    }

    [Fact]
    public void Before_any_packet_the_report_has_no_block()
    {
        var reporter = new RtcpReceiverReporter(OpusClock, 0, random: new Random(1));
        var report = Report(reporter, 1_000_000);
        Assert.Null(report.Block);
        Assert.Equal(reporter.ReporterSsrc, report.ReporterSsrc);
    }

    [Fact]
    public void A_new_ssrc_starts_fresh_statistics()
    {
        var reporter = new RtcpReceiverReporter(OpusClock, 0, random: new Random(1));
        Feed(reporter, [1000, 1002]);
        reporter.OnRtp(50, 0, Source + 7, 100_000);
        reporter.OnRtp(51, 960, Source + 7, 120_000);
        var report = Report(reporter, 1_000_000);
        Assert.Equal(Source + 7, report.Block!.Value.Ssrc);
        Assert.Equal(51u, report.Block.Value.ExtendedHighestSequence);
        Assert.Equal(0, report.Block.Value.CumulativeLost);
    }

    [Fact]
    public void Reports_follow_the_randomized_interval()
    {
        var reporter = new RtcpReceiverReporter(OpusClock, 0, random: new Random(3));
        // First report: half the 4 s floor, × [0.5, 1.5) / 1.21828: 0.82 to 2.46 s.
        Assert.InRange(reporter.NextReportMicros, 820_828, 2_462_484);
        Feed(reporter, [1, 2, 3]);
        var buffer = new byte[RtcpReceiverReporter.MaxCompoundLength];
        long now = reporter.NextReportMicros;
        long shortest = long.MaxValue, longest = 0;
        for (int i = 0; i < 200; i++)
        {
            Assert.True(reporter.WriteReport(buffer, now) > 0);
            long interval = reporter.NextReportMicros - now;
            Assert.InRange(interval, 1_641_656, 4_924_968); // 4 s × [0.5, 1.5) / 1.21828
            shortest = Math.Min(shortest, interval);
            longest = Math.Max(longest, interval);
            now = reporter.NextReportMicros;
        }

        Assert.True(longest - shortest > 2_500_000, $"intervals {shortest}..{longest} µs are not spread"); // randomized
        Assert.Equal(200, reporter.ReportsWritten);
    }

    [Fact]
    public void A_short_buffer_writes_nothing_and_keeps_the_schedule()
    {
        var reporter = new RtcpReceiverReporter(OpusClock, 0, random: new Random(1));
        long due = reporter.NextReportMicros;
        Assert.Equal(0, reporter.WriteReport(new byte[RtcpReceiverReporter.MaxCompoundLength - 1], due));
        Assert.Equal(due, reporter.NextReportMicros);
    }

    [Theory]
    [InlineData("")]
    [InlineData("80")]
    [InlineData("80 c8 00 06 11 22 33 44")] // SR whose length overruns the datagram
    [InlineData("80 c8 00 01 11 22 33 44")] // SR too short for its sender info
    [InlineData("40 c8 00 00")] // version 1
    public void Malformed_rtcp_is_ignored(string hex)
    {
        var reporter = new RtcpReceiverReporter(OpusClock, 0, random: new Random(1));
        Feed(reporter, [1, 2]);
        reporter.OnRtcp(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), 100_000);
        Assert.Equal(0u, Report(reporter, 200_000).Block!.Value.LastSenderReport);
    }

    [Fact]
    public void Steady_state_packets_and_reports_allocate_nothing()
    {
        var reporter = new RtcpReceiverReporter(OpusClock, 0, random: new Random(1));
        var buffer = new byte[RtcpReceiverReporter.MaxCompoundLength];
        byte[] sr = SenderReport(Source, 0x0123_4567_89AB_CDEF);
        ushort seq = 0;
        long now = 0;
        void Run(int packets)
        {
            for (int i = 0; i < packets; i++, seq++, now += 20_000)
            {
                reporter.OnRtp(seq, seq * FrameTicks, Source, now);
                if (i % 250 == 0)
                {
                    reporter.OnRtcp(sr, now);
                }

                if (now >= reporter.NextReportMicros)
                {
                    Assert.True(reporter.WriteReport(buffer, now) > 0);
                }
            }
        }

        Run(1000); // warm-up: the source's statistics are created by its first packet
        Assert.Equal(0, SteadyStateAllocation.Measure(() => Run(5000)));
        Assert.True(reporter.ReportsWritten > 20);
    }

    private static void Feed(RtcpReceiverReporter reporter, ushort[] sequence)
    {
        // Timestamps follow the sequence numbers and arrivals are exactly on time (no jitter).
        foreach (ushort seq in sequence)
        {
            reporter.OnRtp(seq, seq * FrameTicks, Source, seq * 20_000L);
        }
    }

    private static ReceivedReport Report(RtcpReceiverReporter reporter, long now)
    {
        var buffer = new byte[RtcpReceiverReporter.MaxCompoundLength];
        int length = reporter.WriteReport(buffer, now);
        Assert.True(length > 0);
        return ReceivedReport.Parse(buffer.AsSpan(0, length));
    }

    internal static byte[] SenderReport(uint ssrc, ulong ntp)
    {
        var buffer = new byte[64];
        int sr = RtcpWriter.WriteSenderReport(buffer, ssrc, ntp, 12345, 10, 1000, []);
        int sdes = RtcpWriter.WriteSourceDescription(buffer.AsSpan(sr), ssrc, SdesItemType.CName, "sender"u8);
        return buffer.AsSpan(0, sr + sdes).ToArray();
    }
}
