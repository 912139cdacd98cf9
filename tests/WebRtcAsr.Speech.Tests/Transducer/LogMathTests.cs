using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Speech.Tests.Transducer;

public class LogMathTests
{
    [Fact]
    public void LogSoftmaxNormalises()
    {
        float[] row = [1f, 2f, 3f, -40f];
        LogMath.LogSoftmax(row);
        var sum = row.Sum(v => Math.Exp(v));
        Assert.Equal(1.0, sum, 5);
        Assert.Equal(3 - Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3) + Math.Exp(-40)), row[2], 5);
    }

    [Fact]
    public void TopKIsDescendingAndPrefersEarlierIndicesOnTies()
    {
        float[] values = [0.5f, 2f, 1f, 2f, -1f, 1.5f];
        var top = new int[4];
        Assert.Equal(4, LogMath.TopK(values, top));
        Assert.Equal([1, 3, 5, 2], top);
    }

    [Fact]
    public void TopKOfFewerValuesThanKReturnsAll()
    {
        var top = new int[4];
        Assert.Equal(2, LogMath.TopK([3f, 7f], top));
        Assert.Equal(1, top[0]);
        Assert.Equal(0, top[1]);
    }

    [Fact]
    public void LogAddAndArgMax()
    {
        Assert.Equal(Math.Log(0.3 + 0.2), LogMath.LogAdd(Math.Log(0.3), Math.Log(0.2)), 12);
        Assert.Equal(-1.0, LogMath.LogAdd(-1.0, -1000.0));
        Assert.Equal(1, LogMath.ArgMax([0f, 5f, 5f, 1f]));
    }
}
