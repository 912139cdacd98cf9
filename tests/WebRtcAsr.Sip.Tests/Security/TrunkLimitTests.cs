using System.Net;
using WebRtcAsr.Sip.Security;

namespace WebRtcAsr.Sip.Tests.Security;

public class TrunkLimitTests
{
    [Theory]
    [InlineData("192.0.2.0/24", "192.0.2.200", true)]
    [InlineData("192.0.2.0/24", "192.0.3.1", false)]
    [InlineData("10.0.0.0/9", "10.127.255.255", true)]
    [InlineData("10.0.0.0/9", "10.128.0.0", false)]
    [InlineData("198.51.100.7", "198.51.100.7", true)]
    [InlineData("198.51.100.7", "198.51.100.8", false)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("192.0.2.0/24", "::ffff:192.0.2.9", true)]
    [InlineData("0.0.0.0/0", "203.0.113.1", true)]
    public void Cidr_ranges_match_as_expected(string cidr, string address, bool contained)
    {
        Assert.True(AddressRange.TryParse(cidr, out var range));
        Assert.Equal(contained, range.Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("192.0.2.0/33")]
    [InlineData("not-an-ip")]
    [InlineData("192.0.2.0/-1")]
    public void Bad_cidrs_are_rejected(string cidr) => Assert.False(AddressRange.TryParse(cidr, out _));

    [Fact]
    public void Allowlist_empty_allows_all_and_otherwise_only_its_ranges()
    {
        Assert.True(new SourceAllowlist([]).Allows(IPAddress.Parse("203.0.113.1")));
        var list = new SourceAllowlist(["192.0.2.0/24", "2001:db8::/32"]);
        Assert.True(list.Allows(IPAddress.Parse("192.0.2.1")));
        Assert.False(list.Allows(IPAddress.Parse("203.0.113.1")));
        Assert.Throws<FormatException>(() => new SourceAllowlist(["bogus"]));
    }

    [Fact]
    public void Token_bucket_allows_the_burst_then_the_rate()
    {
        var bucket = new TokenBucket(ratePerSecond: 10, burstSize: 3, TimeSpan.Zero);
        Assert.True(bucket.TryTake(TimeSpan.Zero));
        Assert.True(bucket.TryTake(TimeSpan.Zero));
        Assert.True(bucket.TryTake(TimeSpan.Zero));
        Assert.False(bucket.TryTake(TimeSpan.Zero));
        Assert.False(bucket.TryTake(TimeSpan.FromMilliseconds(50)));
        Assert.True(bucket.TryTake(TimeSpan.FromMilliseconds(100)));
        Assert.False(bucket.TryTake(TimeSpan.FromMilliseconds(100)));
        Assert.True(bucket.IsFull(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Rate_limiter_is_per_source_and_its_table_is_bounded()
    {
        var limiter = new SourceRateLimiter(1, 2, maxSources: 2);
        var a = IPAddress.Parse("192.0.2.1");
        var b = IPAddress.Parse("192.0.2.2");
        var c = IPAddress.Parse("192.0.2.3");
        Assert.True(limiter.TryAcquire(a, TimeSpan.Zero));
        Assert.True(limiter.TryAcquire(a, TimeSpan.Zero));
        Assert.False(limiter.TryAcquire(a, TimeSpan.Zero));
        Assert.True(limiter.TryAcquire(b, TimeSpan.Zero));
        Assert.False(limiter.TryAcquire(c, TimeSpan.Zero)); // table full, nobody idle
        Assert.True(limiter.TryAcquire(c, TimeSpan.FromSeconds(5))); // idle sources evicted
        Assert.True(limiter.TrackedSources <= 2);
    }
}
