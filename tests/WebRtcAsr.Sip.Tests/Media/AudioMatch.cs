namespace WebRtcAsr.Sip.Tests.Media;

/// <summary>Compares the 16 kHz audio that came out of a call with the 8 kHz audio that was sent.</summary>
internal static class AudioMatch
{
    /// <summary>
    /// The best normalized correlation between <paramref name="sent"/> (8 kHz) and <paramref name="received"/>
    /// (16 kHz) over lags of ±<paramref name="maxLag"/> samples at 8 kHz and both 2:1 phases. Taking every other
    /// output sample is an exact 8 kHz signal here: the output was upsampled from 8 kHz, so it holds nothing above
    /// 4 kHz to alias.
    /// </summary>
    public static (double Correlation, int Lag) Best(ReadOnlySpan<float> sent, ReadOnlySpan<float> received, int maxLag = 80)
    {
        double best = double.NegativeInfinity;
        int bestLag = 0;
        for (var phase = 0; phase < 2; phase++)
        {
            for (var lag = -maxLag; lag <= maxLag; lag++)
            {
                double dot = 0, a = 0, b = 0;
                for (var i = 0; i < sent.Length; i++)
                {
                    int j = (2 * (i + lag)) + phase;
                    if (j < 0 || j >= received.Length)
                    {
                        continue;
                    }

                    dot += sent[i] * received[j];
                    a += sent[i] * sent[i];
                    b += received[j] * received[j];
                }

                double c = a == 0 || b == 0 ? 0 : dot / Math.Sqrt(a * b);
                if (c > best)
                {
                    best = c;
                    bestLag = lag;
                }
            }
        }

        return (best, bestLag);
    }
}
