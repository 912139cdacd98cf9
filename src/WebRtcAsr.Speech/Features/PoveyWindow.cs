using System.Collections.Concurrent;

namespace WebRtcAsr.Speech.Features;

/// <summary>
/// Kaldi's "povey" analysis window, (0.5 − 0.5·cos(2πi/(N−1)))^0.85: a Hann-like window that reaches
/// zero at both ends. Computed in double and stored as float, as kaldi-native-fbank does; shared per length.
/// </summary>
internal static class PoveyWindow
{
    private static readonly ConcurrentDictionary<int, float[]> Cache = new();

    /// <summary>The window of <paramref name="length"/> samples (do not modify).</summary>
    public static float[] For(int length) => Cache.GetOrAdd(length, static n =>
    {
        var window = new float[n];
        double a = 2.0 * Math.PI / (n - 1);
        for (int i = 0; i < n; i++)
        {
            window[i] = (float)Math.Pow(0.5 - (0.5 * Math.Cos(a * i)), 0.85);
        }

        return window;
    });
}
