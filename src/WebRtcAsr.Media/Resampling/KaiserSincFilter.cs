namespace WebRtcAsr.Media.Resampling;

/// <summary>
/// Designs the polyphase low-pass filter of a rational resampler: a windowed sinc (Kaiser window,
/// β and length from Kaiser's formulas) at the up-sampled rate L·inputRate, split into L phases.
/// </summary>
internal static class KaiserSincFilter
{
    /// <summary>Limit on phases (reduced output/input numerator) so coefficient tables stay small.</summary>
    public const int MaxPhases = 4096;

    /// <summary>
    /// Returns the phase tables (phase p at [p·tapsPerPhase, (p+1)·tapsPerPhase), taps in time order:
    /// the last tap multiplies the newest input sample) and the exact group delay in output samples.
    /// </summary>
    public static (float[] Coefficients, int TapsPerPhase, int DelayOutputSamples) Design(
        int inputRate, int outputRate, int interpolation, int decimation, ResamplerQuality quality, int vectorWidth)
    {
        (double attenuationDb, double passFraction) = quality switch
        {
            ResamplerQuality.Fast => (70.0, 0.85),
            ResamplerQuality.High => (120.0, 0.95),
            _ => (100.0, 0.90),
        };
        double nyquist = Math.Min(inputRate, outputRate) / 2.0;
        double passEdge = nyquist * passFraction;
        double stopEdge = nyquist;
        double cutoff = (passEdge + stopEdge) / 2;
        double upRate = (double)interpolation * inputRate;

        // Kaiser: length ≈ (A − 7.95) / (2.285 · Δω), Δω the transition width in rad/sample.
        double transition = 2 * Math.PI * (stopEdge - passEdge) / upRate;
        int minLength = (int)Math.Ceiling((attenuationDb - 7.95) / (2.285 * transition)) + 1;
        // Centre the filter on a multiple of the decimation factor so the delay is a whole number
        // of output samples (length 2·D·M + 1, symmetric, linear phase).
        int delay = (int)Math.Ceiling((minLength - 1) / 2.0 / decimation);
        long length = (2L * delay * decimation) + 1;
        int taps = (int)((length + interpolation - 1) / interpolation);
        int tapsPerPhase = (taps + vectorWidth - 1) / vectorWidth * vectorWidth;
        if ((long)tapsPerPhase * interpolation > 16_000_000)
        {
            throw new ArgumentException($"Resampling {inputRate} -> {outputRate} Hz needs a filter of {(long)tapsPerPhase * interpolation} taps; too large.");
        }

        double beta = attenuationDb > 50 ? 0.1102 * (attenuationDb - 8.7)
            : attenuationDb >= 21 ? (0.5842 * Math.Pow(attenuationDb - 21, 0.4)) + (0.07886 * (attenuationDb - 21))
            : 0;
        double centre = (length - 1) / 2.0;
        double i0Beta = BesselI0(beta);
        var prototype = new double[length];
        double sum = 0;
        for (long m = 0; m < length; m++)
        {
            double t = m - centre;
            double x = 2 * cutoff * t / upRate;
            double sinc = x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);
            double r = t / centre;
            double window = BesselI0(beta * Math.Sqrt(Math.Max(0, 1 - (r * r)))) / i0Beta;
            prototype[m] = sinc * window;
            sum += prototype[m];
        }
        // Zero-stuffing by L divides the level by L; scale so the average phase has unit DC gain.
        double scale = interpolation / sum;

        // y[j] = Σ_t x[n0 − t]·h[p + t·L]: phase p's tap for the sample t steps back from the
        // newest sits at index tapsPerPhase − 1 − t, so a dot product over a contiguous window works.
        var coefficients = new float[tapsPerPhase * interpolation];
        for (int p = 0; p < interpolation; p++)
        {
            for (int t = 0; t < tapsPerPhase; t++)
            {
                long m = p + ((long)t * interpolation);
                if (m < length)
                {
                    coefficients[(p * tapsPerPhase) + tapsPerPhase - 1 - t] = (float)(prototype[m] * scale);
                }
            }
        }
        return (coefficients, tapsPerPhase, delay);
    }

    // Modified Bessel function of the first kind, order 0 (power series; converges fast for β ≤ 20).
    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, half = x / 2;
        for (int k = 1; k < 200; k++)
        {
            term *= half / k;
            double squared = term * term;
            sum += squared;
            if (squared < sum * 1e-17)
            {
                break;
            }
        }
        return sum;
    }
}
