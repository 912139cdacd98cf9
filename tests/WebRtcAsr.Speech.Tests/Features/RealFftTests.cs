using WebRtcAsr.Speech.Features;

namespace WebRtcAsr.Speech.Tests.Features;

/// <summary>The kissfft-order real FFT against a direct double-precision DFT.</summary>
public sealed class RealFftTests
{
    [Theory]
    [InlineData(512)] // 16 kHz frames: 256 complex points, four radix-4 stages
    [InlineData(256)] // 8 kHz frames: radix 4, 4, 4 then a radix-2 stage
    [InlineData(8)]
    public void Matches_a_direct_DFT_to_float_precision(int n)
    {
        var random = new Random(n);
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var re = new float[(n / 2) + 1];
        var im = new float[(n / 2) + 1];
        new RealFft(n).Forward(x, re, im);

        double scale = Math.Sqrt(n); // rms magnitude of a bin of unit-variance noise
        for (int k = 0; k <= n / 2; k++)
        {
            double sr = 0, si = 0;
            for (int t = 0; t < n; t++)
            {
                double angle = -2 * Math.PI * k * t / n;
                sr += x[t] * Math.Cos(angle);
                si += x[t] * Math.Sin(angle);
            }

            Assert.True(Math.Abs(sr - re[k]) < 1e-5 * scale, $"bin {k} real: {re[k]} vs {sr}");
            Assert.True(Math.Abs(si - im[k]) < 1e-5 * scale, $"bin {k} imaginary: {im[k]} vs {si}");
        }
    }

    [Fact]
    public void A_cosine_on_a_bin_lands_in_that_bin_only()
    {
        const int n = 512;
        var x = new float[n];
        for (int t = 0; t < n; t++)
        {
            x[t] = (float)Math.Cos(2 * Math.PI * 37 * t / n);
        }

        var re = new float[257];
        var im = new float[257];
        new RealFft(n).Forward(x, re, im);

        Assert.Equal(n / 2, re[37], 2);
        for (int k = 0; k <= 256; k++)
        {
            if (k != 37)
            {
                Assert.True(Math.Abs(re[k]) < 1e-3 && Math.Abs(im[k]) < 1e-3, $"bin {k}: {re[k]} {im[k]}");
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(400)]
    public void Lengths_that_are_not_powers_of_two_are_refused(int n)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RealFft(n));
    }
}
