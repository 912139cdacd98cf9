using WebRtcAsr.Media.Audio;
using WebRtcAsr.Media.Resampling;

namespace WebRtcAsr.Media.Tests.Pipeline;

/// <summary>Audio for the pipeline tests: FSDD speech (committed WAVs) and measurements.</summary>
internal static class TestSignals
{
    private static readonly string[] Recordings =
        { "0_george_0", "1_nicolas_0", "5_yweweler_0", "8_jackson_1", "9_lucas_2" };

    /// <summary>The five FSDD digits, 8 kHz, joined with 150 ms of silence between them (~3.6 s per round).</summary>
    public static float[] Speech8k(int rounds = 1)
    {
        var all = new List<float>();
        foreach (var name in Enumerable.Repeat(Recordings, rounds).SelectMany(r => r))
        {
            var wav = WavFile.Read(Path.Combine(AppContext.BaseDirectory, "Impairment", "TestData", name + ".wav"));
            Assert.Equal(8000, wav.SampleRate);
            all.AddRange(wav.ToMono());
            all.AddRange(new float[1200]);
        }

        return all.ToArray();
    }

    /// <summary>Resamples a whole signal with latency removed (output sample k at input time k/rate).</summary>
    public static float[] Resample(float[] input, int from, int to)
    {
        var resampler = new Resampler(from, to);
        var output = new float[resampler.MaxOutputLength(input.Length) + resampler.MaxFlushLength];
        int n = resampler.Process(input, output);
        n += resampler.Flush(output.AsSpan(n));
        return output.AsSpan(resampler.LatencySamples, n - resampler.LatencySamples).ToArray();
    }

    /// <summary>
    /// Best alignment of <paramref name="decoded"/> to <paramref name="reference"/> within ±maxLag
    /// samples, and at that lag the normalised correlation and the SNR (dB) after least-squares gain.
    /// </summary>
    public static (int Lag, double Correlation, double SnrDb) Compare(ReadOnlySpan<float> reference, ReadOnlySpan<float> decoded, int maxLag)
    {
        int bestLag = 0;
        double best = double.MinValue;
        var head = reference[..Math.Min(reference.Length, 32_000)]; // 2 s fix the lag
        for (int lag = -maxLag; lag <= maxLag; lag++)
        {
            double c = Correlation(head, decoded, lag, out _, out _);
            if (c > best)
            {
                best = c;
                bestLag = lag;
            }
        }

        double correlation = Correlation(reference, decoded, bestLag, out double cross, out double decodedEnergy);
        double gain = decodedEnergy > 0 ? cross / decodedEnergy : 0;
        double signal = 0;
        double noise = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            int j = i + bestLag;
            double d = j >= 0 && j < decoded.Length ? decoded[j] * gain : 0;
            signal += reference[i] * (double)reference[i];
            noise += (reference[i] - d) * (reference[i] - d);
        }

        return (bestLag, correlation, 10 * Math.Log10(signal / Math.Max(noise, 1e-12)));
    }

    /// <summary>SNR (dB) of <paramref name="decoded"/> over the given stretches only (positions in decoded time).</summary>
    public static double SegmentSnr(ReadOnlySpan<float> reference, ReadOnlySpan<float> decoded, int lag,
        IEnumerable<(long Start, int Length)> segments)
    {
        double signal = 0;
        double noise = 0;
        foreach (var (start, length) in segments)
        {
            for (long j = start; j < start + length && j < decoded.Length; j++)
            {
                long i = j - lag;
                if (i >= 0 && i < reference.Length)
                {
                    signal += reference[(int)i] * (double)reference[(int)i];
                    noise += (reference[(int)i] - decoded[(int)j]) * (double)(reference[(int)i] - decoded[(int)j]);
                }
            }
        }

        return 10 * Math.Log10(Math.Max(signal, 1e-12) / Math.Max(noise, 1e-12));
    }

    private static double Correlation(ReadOnlySpan<float> reference, ReadOnlySpan<float> decoded, int lag,
        out double cross, out double decodedEnergy)
    {
        cross = 0;
        decodedEnergy = 0;
        double referenceEnergy = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            int j = i + lag;
            double d = j >= 0 && j < decoded.Length ? decoded[j] : 0;
            cross += reference[i] * d;
            decodedEnergy += d * d;
            referenceEnergy += reference[i] * (double)reference[i];
        }

        return cross / Math.Sqrt(Math.Max(referenceEnergy * decodedEnergy, 1e-24));
    }
}
