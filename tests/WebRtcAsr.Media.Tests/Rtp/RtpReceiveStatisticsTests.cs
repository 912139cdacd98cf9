using WebRtcAsr.Media.Rtcp;
using WebRtcAsr.Media.Rtp;

namespace WebRtcAsr.Media.Tests.Rtp;

public class RtpReceiveStatisticsTests
{
    private const long PacketMicros = 20_000;

    [Fact]
    public void New_source_is_on_probation_until_two_packets_are_in_sequence()
    {
        var stats = new RtpReceiveStatistics(48000);
        Assert.False(stats.Update(100, 0, 1, 0));
        Assert.True(stats.Update(101, 960, 1, PacketMicros));
        Assert.Equal(1, stats.PacketsReceived);
        Assert.Equal(101u, stats.ExtendedHighestSequence);
        Assert.Equal(1, stats.PacketsExpected);
    }

    [Fact]
    public void Probation_restarts_when_packets_are_not_sequential()
    {
        var stats = new RtpReceiveStatistics(48000);
        Assert.False(stats.Update(100, 0, 1, 0));
        Assert.False(stats.Update(500, 0, 1, 0));
        Assert.True(stats.Update(501, 0, 1, 0));
        Assert.Equal(501u, stats.ExtendedHighestSequence);
    }

    [Fact]
    public void Extended_highest_sequence_counts_cycles_across_the_wrap()
    {
        var stats = new RtpReceiveStatistics(48000, minSequential: 0);
        ushort seq = 65530;
        for (int i = 0; i < 12; i++)
        {
            Assert.True(stats.Update(seq, (uint)(i * 960), 1, i * PacketMicros));
            seq++;
        }

        Assert.Equal(65536u + 5, stats.ExtendedHighestSequence);
        Assert.Equal(12, stats.PacketsReceived);
        Assert.Equal(0, stats.CumulativeLost);
    }

    [Fact]
    public void Reordered_packet_before_the_wrap_does_not_add_a_cycle()
    {
        var stats = new RtpReceiveStatistics(8000, minSequential: 0);
        stats.Update(65534, 0, 1, 0);
        stats.Update(0, 320, 1, 0);
        Assert.True(stats.Update(65535, 160, 1, 0));
        Assert.Equal(65536u, stats.ExtendedHighestSequence);
        Assert.Equal(0, stats.CumulativeLost);
    }

    [Fact]
    public void A_big_jump_is_rejected_once_and_restarts_the_source_when_confirmed()
    {
        var stats = new RtpReceiveStatistics(8000, minSequential: 0);
        for (ushort s = 10; s < 20; s++)
        {
            stats.Update(s, 0, 1, 0);
        }

        Assert.False(stats.Update(40000, 0, 1, 0)); // beyond MAX_DROPOUT: suspicious
        Assert.True(stats.Update(40001, 0, 1, 0));  // the next in sequence confirms: restart
        Assert.Equal(1, stats.Restarts);
        Assert.Equal(40001u, stats.ExtendedHighestSequence);
        Assert.Equal(1, stats.PacketsReceived);
        Assert.True(stats.Update(40002, 0, 1, 0));
        Assert.Equal(0, stats.CumulativeLost);
    }

    [Fact]
    public void Loss_and_fraction_lost_follow_appendix_a3()
    {
        var stats = new RtpReceiveStatistics(8000, minSequential: 0);
        for (ushort s = 1; s <= 20; s++)
        {
            if (s is not (5 or 6))
            {
                stats.Update(s, s * 160u, 1, s * PacketMicros);
            }
        }

        Assert.Equal(20, stats.PacketsExpected);
        Assert.Equal(2, stats.CumulativeLost);
        Assert.Equal((2 << 8) / 20, stats.TakeFractionLost());
        for (ushort s = 21; s <= 30; s++)
        {
            stats.Update(s, s * 160u, 1, s * PacketMicros);
        }

        Assert.Equal(0, stats.TakeFractionLost()); // no loss in the new interval
    }

    [Fact]
    public void Duplicates_make_cumulative_loss_negative_as_rfc_3550_says()
    {
        var stats = new RtpReceiveStatistics(8000, minSequential: 0);
        stats.Update(1, 0, 1, 0);
        stats.Update(2, 0, 1, 0);
        stats.Update(2, 0, 1, 0);
        Assert.Equal(-1, stats.CumulativeLost);
    }

    [Fact]
    public void Jitter_is_zero_for_constant_delay_and_follows_the_a8_recursion_otherwise()
    {
        var stats = new RtpReceiveStatistics(8000, minSequential: 0);
        for (ushort s = 0; s < 50; s++)
        {
            stats.Update(s, s * 160u, 1, 5_000 + (s * PacketMicros));
        }

        Assert.Equal(0u, stats.Jitter);

        // Alternate 0 and +10 ms extra delay: |D| = 80 timestamp units every packet, so J
        // converges to 80 (J += (|D| - J)/16).
        var jittery = new RtpReceiveStatistics(8000, minSequential: 0);
        double expected = 0;
        for (ushort s = 0; s < 400; s++)
        {
            long extra = s % 2 == 0 ? 0 : 10_000;
            jittery.Update(s, s * 160u, 1, (s * PacketMicros) + extra);
            if (s > 0)
            {
                expected += (80 - expected) / 16;
            }
        }

        Assert.InRange(jittery.Jitter, (uint)Math.Floor(expected) - 1, (uint)Math.Ceiling(expected));
    }

    [Fact]
    public void Report_block_carries_lsr_and_dlsr_from_the_injected_clock()
    {
        var stats = new RtpReceiveStatistics(48000, minSequential: 0);
        for (ushort s = 1; s <= 10; s++)
        {
            stats.Update(s, s * 960u, 0x11223344, s * PacketMicros);
        }

        ulong ntp = 0xE1B2C3D4_A5B6C7D8; // an SR's NTP timestamp
        stats.OnSenderReport(ntp, arrivalMicros: 1_000_000);
        var block = ReceiverReportBuilder.CreateReportBlock(stats, nowMicros: 1_500_000);

        Assert.Equal(0x11223344u, block.Ssrc);
        Assert.Equal(0xC3D4A5B6u, block.LastSenderReport);     // middle 32 bits
        Assert.Equal(32768u, block.DelaySinceLastSenderReport); // 0.5 s in 1/65536 s
        Assert.Equal(10u, block.ExtendedHighestSequence);
        Assert.Equal(0, block.CumulativeLost);
        Assert.Equal(0, block.FractionLost);
    }

    [Fact]
    public void Report_block_without_a_sender_report_has_zero_lsr_and_dlsr()
    {
        var stats = new RtpReceiveStatistics(48000, minSequential: 0);
        stats.Update(1, 0, 9, 0);
        var block = ReceiverReportBuilder.CreateReportBlock(stats, 5_000_000);
        Assert.Equal(0u, block.LastSenderReport);
        Assert.Equal(0u, block.DelaySinceLastSenderReport);
    }

    [Fact]
    public void Sequence_unwrapper_places_reordered_packets_across_the_wrap()
    {
        var unwrapper = new SequenceNumberUnwrapper();
        long a = unwrapper.Unwrap(65534);
        long b = unwrapper.Unwrap(1);
        long c = unwrapper.Unwrap(65535);
        long d = unwrapper.Unwrap(0);
        Assert.Equal(a + 3, b);
        Assert.Equal(a + 1, c);
        Assert.Equal(a + 2, d);
    }

    [Fact]
    public void Timestamp_unwrapper_crosses_two_to_the_32()
    {
        var unwrapper = new TimestampUnwrapper();
        long a = unwrapper.Unwrap(uint.MaxValue - 959);
        long b = unwrapper.Unwrap(0);
        long c = unwrapper.Unwrap(960);
        Assert.Equal(a + 960, b);
        Assert.Equal(a + 1920, c);
        Assert.Equal(a, unwrapper.Peek(uint.MaxValue - 959));
    }
}
