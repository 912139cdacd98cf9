using WebRtcAsr.TestSupport;
using WebRtcAsr.Media.Resampling;
using Xunit.Abstractions;
using static WebRtcAsr.Media.Tests.Resampling.ToneMeasurement;

namespace WebRtcAsr.Media.Tests.Resampling;

public sealed class ResamplerTests(ITestOutputHelper output)
{
    private static float[] Resample(Resampler resampler, float[] input)
    {
        var result = new float[resampler.MaxOutputLength(input.Length)];
        int n = resampler.Process(input, result);
        return result[..n];
    }

    // Output of a steady tone with the filter's start-up transient skipped: 100 ms at the output rate.
    private static readonly Dictionary<(int, int), Resampler> Designed = [];

    private static float[] SteadyOutput(int inRate, int outRate, double hz)
    {
        Resampler resampler;
        lock (Designed)
        {
            if (!Designed.TryGetValue((inRate, outRate), out resampler!))
            {
                Designed[(inRate, outRate)] = resampler = new Resampler(inRate, outRate);
            }
        }
        resampler.Reset();
        float[] outSignal = Resample(resampler, Tone(hz, inRate, inRate * 3 / 20)); // 150 ms
        int skip = resampler.LatencySamples * 2 + 10;
        return outSignal[skip..(skip + (outRate / 10))];
    }

    private (double RippleDb, double WorstDb) PassBand(int inRate, int outRate, double maxHz, double stepHz)
    {
        double min = double.MaxValue, max = double.MinValue;
        for (double hz = stepHz; hz <= maxHz; hz += stepHz)
        {
            double gainDb = Db(Fit(SteadyOutput(inRate, outRate, hz), hz, outRate).Amplitude);
            min = Math.Min(min, gainDb);
            max = Math.Max(max, gainDb);
        }
        output.WriteLine($"{inRate}->{outRate}: pass band to {maxHz} Hz gain {min:F4} .. {max:F4} dB, ripple {max - min:F4} dB");
        return (max - min, Math.Max(Math.Abs(min), Math.Abs(max)));
    }

    // Tones above the output Nyquist frequency must not alias into the output.
    private double StopBand(int inRate, int outRate, double fromHz, double stepHz)
    {
        double worst = double.MaxValue;
        double worstHz = 0;
        for (double hz = fromHz; hz < inRate / 2.0; hz += stepHz)
        {
            double rejection = -Db(Rms(SteadyOutput(inRate, outRate, hz)) * Math.Sqrt(2));
            if (rejection < worst)
            {
                (worst, worstHz) = (rejection, hz);
            }
        }
        output.WriteLine($"{inRate}->{outRate}: stop band from {fromHz} Hz attenuation ≥ {worst:F1} dB (worst at {worstHz} Hz)");
        return worst;
    }

    [Fact]
    public void From_48_kHz_to_16_kHz_the_pass_band_is_flat_and_aliases_are_80_dB_down()
    {
        var (ripple, worst) = PassBand(48000, 16000, 7000, 50);
        Assert.True(ripple < 0.1 && worst < 0.1, $"ripple {ripple:F4} dB, worst gain deviation {worst:F4} dB");
        double rejection = StopBand(48000, 16000, 8000, 125);
        Assert.True(rejection >= 80, $"stop band attenuation {rejection:F1} dB");
    }

    [Fact]
    public void From_44_1_kHz_to_16_kHz_the_pass_band_is_flat_and_aliases_are_80_dB_down()
    {
        var (ripple, worst) = PassBand(44100, 16000, 7000, 100);
        Assert.True(ripple < 0.1 && worst < 0.1, $"ripple {ripple:F4} dB, worst {worst:F4} dB");
        double rejection = StopBand(44100, 16000, 8000, 173);
        Assert.True(rejection >= 80, $"stop band attenuation {rejection:F1} dB");
    }

    [Fact]
    public void From_8_kHz_to_16_kHz_the_telephone_band_is_flat_and_images_are_80_dB_down()
    {
        var (ripple, worst) = PassBand(8000, 16000, 3400, 50);
        Assert.True(ripple < 0.1 && worst < 0.1, $"ripple {ripple:F4} dB, worst {worst:F4} dB");
        // Up-sampling makes images at 8000 − f; for tones up to the 3.6 kHz pass-band edge they fall
        // in the stop band (≥ 4.4 kHz). Everything but the tone itself is image (or noise).
        double worstImage = double.MaxValue;
        for (double hz = 100; hz <= 3600; hz += 100)
        {
            var (amplitude, residual) = Fit(SteadyOutput(8000, 16000, hz), hz, 16000);
            worstImage = Math.Min(worstImage, Db(amplitude / (residual * Math.Sqrt(2))));
        }
        output.WriteLine($"8000->16000: images ≥ {worstImage:F1} dB below the tone");
        Assert.True(worstImage >= 80, $"image rejection {worstImage:F1} dB");
    }

    [Theory]
    [InlineData(48000, 16000)]
    [InlineData(44100, 16000)]
    [InlineData(32000, 16000)]
    [InlineData(24000, 16000)]
    [InlineData(22050, 16000)]
    [InlineData(11025, 16000)]
    [InlineData(8000, 16000)]
    [InlineData(16000, 48000)]
    [InlineData(16000, 16000)]
    public void Chunked_output_is_bit_identical_to_whole_signal_output(int inRate, int outRate)
    {
        var random = new Random(inRate ^ outRate);
        float[] input = new float[inRate / 2];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (float)((random.NextDouble() * 2) - 1);
        }
        var whole = new Resampler(inRate, outRate);
        float[] expected = Resample(whole, input);
        float[] expectedTail = new float[whole.MaxFlushLength];
        expectedTail = expectedTail[..whole.Flush(expectedTail)];

        var chunked = new Resampler(inRate, outRate);
        var actual = new List<float>();
        for (int offset = 0; offset < input.Length;)
        {
            int size = Math.Min(random.Next(0, 3000), input.Length - offset);
            actual.AddRange(Resample(chunked, input[offset..(offset + size)]));
            offset += size;
        }
        Assert.Equal(expected, actual.ToArray());
        float[] tail = new float[chunked.MaxFlushLength];
        Assert.Equal(expectedTail, tail[..chunked.Flush(tail)]);
    }

    [Theory]
    [InlineData(48000, 16000)]
    [InlineData(44100, 16000)]
    [InlineData(8000, 16000)]
    [InlineData(16000, 48000)]
    public void Reported_latency_is_where_an_impulse_comes_out(int inRate, int outRate)
    {
        var resampler = new Resampler(inRate, outRate);
        // An impulse at an input instant that is also an output instant: input k·(in/g) ↔ output k·(out/g).
        int g = (int)System.Numerics.BigInteger.GreatestCommonDivisor(inRate, outRate);
        int inputAt = 3 * (inRate / g), outputAt = 3 * (outRate / g);
        float[] input = new float[inputAt + inRate / 10];
        input[inputAt] = 1;
        float[] result = Resample(resampler, input);
        int peak = Array.IndexOf(result, result.Max());
        output.WriteLine($"{inRate}->{outRate}: latency {resampler.LatencySamples} output samples ({1000.0 * resampler.LatencySamples / outRate:F2} ms), {resampler.TapsPerOutput} taps per output");
        Assert.Equal(outputAt + resampler.LatencySamples, peak);
        // Linear phase: the response is symmetric about the peak.
        for (int k = 1; k < 20; k++)
        {
            Assert.Equal(result[peak - k], result[peak + k], 1e-6f);
        }
    }

    [Fact]
    public void Flush_completes_the_signal_to_its_resampled_length()
    {
        var resampler = new Resampler(44100, 16000);
        float[] input = Tone(440, 44100, 12345, 0.5);
        var all = new List<float>(Resample(resampler, input));
        float[] tail = new float[resampler.MaxFlushLength];
        all.AddRange(tail[..resampler.Flush(tail)]);
        float[] aligned = all.Skip(resampler.LatencySamples).ToArray();
        Assert.Equal((int)Math.Ceiling(12345 * 16000 / 44100.0), aligned.Length);
        // Aligned output follows the tone right up to the last samples before the edge.
        float[] truth = Tone(440, 16000, aligned.Length, 0.5);
        for (int i = 100; i < aligned.Length - 100; i++)
        {
            Assert.True(Math.Abs(aligned[i] - truth[i]) < 1e-3, $"sample {i}: {aligned[i]} vs {truth[i]}");
        }
        // After a flush the resampler starts a new stream.
        float[] again = Resample(resampler, input);
        Assert.Equal(Resample(new Resampler(44100, 16000), input), again);
    }

    [Fact]
    public void Equal_rates_pass_samples_through()
    {
        var resampler = new Resampler(16000, 16000);
        float[] input = Tone(1000, 16000, 500);
        Assert.Equal(input, Resample(resampler, input));
        Assert.Equal(0, resampler.LatencySamples);
        Assert.Equal(0, resampler.Flush(new float[4]));
    }

    [Fact]
    public void Unreasonable_ratios_and_short_outputs_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(0, 16000));
        Assert.Throws<ArgumentException>(() => new Resampler(44101, 16000)); // 16000 phases
        var resampler = new Resampler(48000, 16000);
        Assert.Throws<ArgumentException>(() => resampler.Process(new float[960], new float[100]));
        Assert.Equal(0, resampler.Process([], []));
    }

    [Fact]
    public void Steady_state_processing_allocates_nothing()
    {
        var resampler = new Resampler(48000, 16000);
        float[] packet = Tone(440, 48000, 960);
        float[] result = new float[resampler.MaxOutputLength(960)];
        for (int i = 0; i < 20; i++)
        {
            resampler.Process(packet, result);
        }
        Assert.Equal(0, SteadyStateAllocation.Measure(() =>
        {
            for (int i = 0; i < 500; i++)
            {
                resampler.Process(packet, result);
            }
        }));
    }
}
