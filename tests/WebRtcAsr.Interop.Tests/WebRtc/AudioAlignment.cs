namespace WebRtcAsr.Interop.Tests.WebRtc;

/// <summary>
/// How alike a received recording is to the reference it was made from, once aligned: the lag is
/// found on 10 ms energy envelopes (cheap, robust to codec phase changes), refined on the waveform,
/// and two scores are given at that lag over the overlap (at least 80 % of the shorter signal):
/// the Pearson correlation of the envelopes and of the waveforms. A positive lag means the
/// reference starts that many samples into the received signal.
/// </summary>
internal readonly record struct AudioAlignment(int LagSamples, double Overlap, double EnvelopeCorrelation, double WaveformCorrelation)
{
    private const double MinOverlap = 0.8;

    public static AudioAlignment Find(float[] reference, float[] received, int sampleRate)
    {
        int frame = sampleRate / 100;
        var refEnvelope = Envelope(reference, frame);
        var recEnvelope = Envelope(received, frame);
        int minFrames = (int)(MinOverlap * Math.Min(refEnvelope.Length, recEnvelope.Length));
        int bestFrameLag = 0;
        double bestEnvelope = double.NaN;
        for (int lag = -(refEnvelope.Length - minFrames); lag <= recEnvelope.Length - minFrames; lag++)
        {
            double c = Correlate(refEnvelope, recEnvelope, lag, minFrames);
            if (!double.IsNaN(c) && (double.IsNaN(bestEnvelope) || c > bestEnvelope))
            {
                bestEnvelope = c;
                bestFrameLag = lag;
            }
        }

        int minSamples = (int)(MinOverlap * Math.Min(reference.Length, received.Length));
        int bestLag = bestFrameLag * frame;
        double bestWaveform = double.NaN;
        int center = bestLag;
        for (int lag = center - (2 * frame); lag <= center + (2 * frame); lag++)
        {
            double c = Correlate(reference, received, lag, minSamples);
            if (!double.IsNaN(c) && (double.IsNaN(bestWaveform) || c > bestWaveform))
            {
                bestWaveform = c;
                bestLag = lag;
            }
        }

        int overlap = Math.Min(reference.Length, received.Length - bestLag) - Math.Max(0, -bestLag);
        return new AudioAlignment(bestLag, overlap / (double)reference.Length, bestEnvelope, bestWaveform);
    }

    /// <summary>Pearson correlation of reference[i] with received[i + lag] over their overlap; NaN when it is too short.</summary>
    private static double Correlate(float[] reference, float[] received, int lag, int minOverlap)
    {
        int start = Math.Max(0, -lag);
        int end = Math.Min(reference.Length, received.Length - lag);
        if (end - start < Math.Max(minOverlap, 2))
        {
            return double.NaN;
        }

        return Pearson(reference.AsSpan(start, end - start), received.AsSpan(start + lag, end - start));
    }

    private static float[] Envelope(float[] samples, int frame)
    {
        var envelope = new float[samples.Length / frame];
        for (int i = 0; i < envelope.Length; i++)
        {
            double sum = 0;
            for (int j = 0; j < frame; j++)
            {
                float s = samples[(i * frame) + j];
                sum += s * s;
            }

            envelope[i] = (float)Math.Sqrt(sum / frame);
        }

        return envelope;
    }

    private static double Pearson(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double meanA = 0, meanB = 0;
        for (int i = 0; i < a.Length; i++)
        {
            meanA += a[i];
            meanB += b[i];
        }

        meanA /= a.Length;
        meanB /= b.Length;
        double cov = 0, varA = 0, varB = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double da = a[i] - meanA, db = b[i] - meanB;
            cov += da * db;
            varA += da * da;
            varB += db * db;
        }

        return varA == 0 || varB == 0 ? 0 : cov / Math.Sqrt(varA * varB);
    }
}
