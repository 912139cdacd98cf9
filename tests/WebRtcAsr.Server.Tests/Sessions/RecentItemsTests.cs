using WebRtcAsr.Server.Sessions;

namespace WebRtcAsr.Server.Tests.Sessions;

public sealed class RecentItemsTests
{
    [Fact]
    public void Keeps_the_last_items_oldest_first_and_forgets_on_clear()
    {
        var recent = new RecentItems<int>(3);
        Assert.Empty(recent.ToArray());
        for (var i = 1; i <= 7; i++)
        {
            recent.Add(i);
            Assert.Equal(Enumerable.Range(Math.Max(1, i - 2), Math.Min(i, 3)), recent.ToArray());
        }

        Assert.Equal(5, recent[0]);
        Assert.Equal(7, recent[2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => recent[3]);
        recent.Clear();
        Assert.Equal(0, recent.Count);
        recent.Add(9);
        Assert.Equal([9], recent.ToArray());
    }
}
