namespace WebRtcAsr.Speech.Tests.Reference;

/// <summary>
/// Doubles a signal's sample rate (8 kHz FSDD recordings to the models' 16 kHz) with a
/// windowed-sinc half-band interpolator: even outputs are the inputs, odd outputs are
/// interpolated from 2 x <see cref="Taps"/> neighbours. Deterministic and good enough for
/// test speech; it is not the product's resampler.
/// </summary>
public static class DoubleRateUpsampler
{
    private const int Taps = 16;
    private static readonly float[] Weights = MakeWeights();

    /// <summary>Returns 2 x input.Length samples at twice the rate.</summary>
    public static float[] Upsample(ReadOnlySpan<float> input)
    {
        var output = new float[2 * input.Length];
        for (var n = 0; n < input.Length; n++)
        {
            output[2 * n] = input[n];
            double sum = 0;
            for (var k = 0; k < Taps; k++)
            {
                var left = n - k;
                var right = n + 1 + k;
                sum += Weights[k] * ((left >= 0 ? input[left] : 0f) + (right < input.Length ? input[right] : 0f));
            }

            output[(2 * n) + 1] = (float)sum;
        }

        return output;
    }

    private static float[] MakeWeights()
    {
        // sinc at half-sample offsets, Blackman-windowed, normalised to unit DC gain.
        var w = new double[Taps];
        double total = 0;
        for (var k = 0; k < Taps; k++)
        {
            var x = k + 0.5;
            var sinc = Math.Sin(Math.PI * x) / (Math.PI * x);
            var t = (x + Taps) / (2.0 * Taps);
            var window = 0.42 - (0.5 * Math.Cos(2 * Math.PI * t)) + (0.08 * Math.Cos(4 * Math.PI * t));
            w[k] = sinc * window;
            total += 2 * w[k];
        }

        return [.. w.Select(v => (float)(v / total))];
    }
}
