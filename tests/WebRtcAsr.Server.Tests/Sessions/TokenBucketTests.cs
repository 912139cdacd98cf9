using WebRtcAsr.Server.Sessions;

namespace WebRtcAsr.Server.Tests.Sessions;

public sealed class TokenBucketTests
{
    [Fact]
    public void Allows_a_burst_then_the_rate()
    {
        var bucket = new TokenBucket(ratePerSecond: 10, burst: 2, nowTimestamp: 0, timestampFrequency: 1000);
        Assert.True(bucket.TryTake(0));
        Assert.True(bucket.TryTake(0));
        Assert.False(bucket.TryTake(99));
        Assert.True(bucket.TryTake(100));
        Assert.False(bucket.TryTake(100));
        Assert.True(bucket.TryTake(10_000));
        Assert.True(bucket.TryTake(10_000));
        Assert.False(bucket.TryTake(10_000)); // refills only up to the burst
    }
}
