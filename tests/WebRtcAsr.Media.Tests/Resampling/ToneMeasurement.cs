namespace WebRtcAsr.Media.Tests.Resampling;

/// <summary>Measures tones in resampler output by least-squares fitting.</summary>
internal static class ToneMeasurement
{
    public static float[] Tone(double hz, int rate, int count, double amplitude = 1.0)
    {
        var samples = new float[count];
        for (int i = 0; i < count; i++)
        {
            samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / rate));
        }
        return samples;
    }

    /// <summary>Amplitude of the best-fitting sinusoid at <paramref name="hz"/>, and the RMS of what is left.</summary>
    public static (double Amplitude, double ResidualRms) Fit(ReadOnlySpan<float> signal, double hz, int rate)
    {
        double ss = 0, cc = 0, sc = 0, ys = 0, yc = 0;
        for (int i = 0; i < signal.Length; i++)
        {
            double s = Math.Sin(2 * Math.PI * hz * i / rate), c = Math.Cos(2 * Math.PI * hz * i / rate);
            ss += s * s;
            cc += c * c;
            sc += s * c;
            ys += signal[i] * s;
            yc += signal[i] * c;
        }
        double det = (ss * cc) - (sc * sc);
        double a = ((ys * cc) - (yc * sc)) / det;
        double b = ((yc * ss) - (ys * sc)) / det;
        double residual = 0;
        for (int i = 0; i < signal.Length; i++)
        {
            double fit = (a * Math.Sin(2 * Math.PI * hz * i / rate)) + (b * Math.Cos(2 * Math.PI * hz * i / rate));
            residual += (signal[i] - fit) * (signal[i] - fit);
        }
        return (Math.Sqrt((a * a) + (b * b)), Math.Sqrt(residual / signal.Length));
    }

    public static double Rms(ReadOnlySpan<float> signal)
    {
        double sum = 0;
        foreach (float s in signal)
        {
            sum += s * s;
        }
        return Math.Sqrt(sum / signal.Length);
    }

    public static double Db(double ratio) => 20 * Math.Log10(ratio);
}
