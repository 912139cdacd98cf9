using WebRtcAsr.Rtc.Rtcp;

namespace WebRtcAsr.Rtc.Tests.Rtcp;

/// <summary>RFC 3550 A.7 <c>rtcp_interval</c>, computed by hand: e - 3/2 = 1.2182818...</summary>
public sealed class RtcpReportIntervalTests
{
    private const long FourSeconds = 4_000_000;

    [Theory]
    [InlineData(0.5, 3_283_312)] // 4 s floor × 1.0 / 1.21828
    [InlineData(0.0, 1_641_656)] // 4 s × 0.5 / 1.21828
    [InlineData(0.999999999, 4_924_968)] // 4 s × 1.5 / 1.21828 (the draw is below 1)
    public void One_sender_one_receiver_is_the_floor_randomized_and_compensated(double random, long expected)
    {
        // 2 members, the browser sends: 1 > 2 × 1/4, so no split; 100 B × 2 / 400 B/s = 0.5 s is under the floor.
        long micros = RtcpReportInterval.ComputeMicros(2, 1, false, 64_000, 100, FourSeconds, initial: false, random);
        Assert.InRange(micros, expected - 1, expected + 1);
    }

    [Fact]
    public void The_first_report_uses_half_the_floor()
    {
        long micros = RtcpReportInterval.ComputeMicros(2, 1, false, 64_000, 100, FourSeconds, initial: true, 0.5);
        Assert.InRange(micros, 1_641_655, 1_641_657); // 2 s / 1.21828
    }

    [Fact]
    public void Many_receivers_share_three_quarters_of_the_rtcp_bandwidth()
    {
        // 1 sender ≤ 50/4: receivers get 0.75 × 400 B/s = 300 B/s among 49 of them: 100 × 49 / 300 = 16.33 s.
        long micros = RtcpReportInterval.ComputeMicros(50, 1, false, 64_000, 100, FourSeconds, initial: false, 0.5);
        Assert.InRange(micros, 13_406_858, 13_406_860); // 16.333 s / 1.21828
    }

    [Fact]
    public void A_sender_among_many_uses_the_senders_quarter()
    {
        // We sent: 0.25 × 400 B/s = 100 B/s for 1 sender: 100 × 1 / 100 = 1 s, under the 4 s floor.
        long micros = RtcpReportInterval.ComputeMicros(50, 1, true, 64_000, 100, FourSeconds, initial: false, 0.5);
        Assert.InRange(micros, 3_283_311, 3_283_313);
    }

    [Fact]
    public void Low_bandwidth_stretches_the_interval_past_the_floor()
    {
        // 8 kb/s session: RTCP 50 B/s; 2 members, 200 B each: 8 s, × 1.0 / 1.21828 = 6.5666 s.
        long micros = RtcpReportInterval.ComputeMicros(2, 1, false, 8_000, 200, FourSeconds, initial: false, 0.5);
        Assert.InRange(micros, 6_566_624, 6_566_626);
    }
}
