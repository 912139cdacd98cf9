using WebRtcAsr.Server.Sessions;

namespace WebRtcAsr.Server.Tests.Sessions;

public sealed class ArrivalLogTests
{
    [Fact]
    public void Finds_the_block_holding_a_sample_or_the_next_one_after_a_gap()
    {
        var log = new ArrivalLog(capacity: 4);
        log.Record(0, 320, 100);
        log.Record(320, 320, 200);
        log.Record(1000, 320, 300); // a gap from 640 to 1000
        Assert.True(log.TryFind(0, out var t) && t == 100);
        Assert.True(log.TryFind(639, out t) && t == 200);
        Assert.True(log.TryFind(700, out t) && t == 300);
        Assert.False(log.TryFind(1320, out _));
    }

    [Fact]
    public void Forgets_blocks_older_than_its_capacity()
    {
        var log = new ArrivalLog(capacity: 2);
        log.Record(0, 320, 1);
        log.Record(320, 320, 2);
        log.Record(640, 320, 3);
        Assert.True(log.TryFind(320, out var t) && t == 2);
        Assert.True(log.TryFind(10, out t) && t == 2); // older than the ring: the oldest block kept answers
    }
}
