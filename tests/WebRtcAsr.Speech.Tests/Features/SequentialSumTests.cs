using WebRtcAsr.Speech.Features;

namespace WebRtcAsr.Speech.Tests.Features;

/// <summary>The DC-offset sums of several frames at once are, bit for bit, the one-frame sequential sums.</summary>
public sealed class SequentialSumTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void SideBySideSumsEqualOneAtATime(int frames)
    {
        // Quiet noise with a DC offset: the values where float rounding order shows.
        var random = new Random(7);
        var samples = new float[2000];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = 1e-4f + (float)((random.NextDouble() - 0.5) * 1e-3);
        }

        int[] starts = [.. Enumerable.Range(0, frames).Select(f => 37 + (f * 160))];
        var sums = new float[4];
        FbankFrameComputer.SequentialSums(samples, starts, 400, sums);
        for (var f = 0; f < frames; f++)
        {
            var expected = FbankFrameComputer.SequentialSum(samples.AsSpan(starts[f], 400));
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(sums[f]));
        }

        Assert.All(sums[frames..], s => Assert.Equal(0f, s));
    }

    [Fact]
    public void MoreThanFourFramesAreRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FbankFrameComputer.SequentialSums(new float[1000], [0, 1, 2, 3, 4], 400, new float[5]));
}
