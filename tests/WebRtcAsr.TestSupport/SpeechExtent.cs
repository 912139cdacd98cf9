namespace WebRtcAsr.TestSupport;

/// <summary>
/// Where the speech is in a recording, by energy: from the first to the last 10 ms frame whose energy is within
/// <see cref="DefaultBelowPeakDb"/> of the recording's loudest frame. FSDD clips carry up to a few hundred ms of room
/// noise around the word; a digit's "end" for latency purposes is the end of this span, not of the file.
/// </summary>
public static class SpeechExtent
{
    /// <summary>Frames quieter than the loudest one by more than this are not speech.</summary>
    public const double DefaultBelowPeakDb = 35;

    /// <summary>The span [Start, End) in samples; the whole recording when it is silent throughout.</summary>
    public static (int Start, int End) Find(ReadOnlySpan<float> samples, int sampleRate, double belowPeakDb = DefaultBelowPeakDb)
    {
        var frame = sampleRate / 100;
        var frames = samples.Length / frame;
        if (frames == 0)
        {
            return (0, samples.Length);
        }

        var energy = new double[frames];
        var peak = 0.0;
        for (var f = 0; f < frames; f++)
        {
            var sum = 0.0;
            foreach (var x in samples.Slice(f * frame, frame))
            {
                sum += x * (double)x;
            }

            energy[f] = sum / frame;
            peak = Math.Max(peak, energy[f]);
        }

        if (peak == 0)
        {
            return (0, samples.Length);
        }

        var threshold = peak * Math.Pow(10, -belowPeakDb / 10);
        var first = Array.FindIndex(energy, e => e >= threshold);
        var last = Array.FindLastIndex(energy, e => e >= threshold);
        return (first * frame, Math.Min(samples.Length, (last + 1) * frame));
    }

    /// <summary>The speech span of a recording, with 5 ms fades so the cut makes no click.</summary>
    public static float[] Trim(ReadOnlySpan<float> samples, int sampleRate)
    {
        var (start, end) = Find(samples, sampleRate);
        var trimmed = samples[start..end].ToArray();
        var fade = Math.Min(sampleRate / 200, trimmed.Length / 2);
        for (var i = 0; i < fade; i++)
        {
            var gain = (i + 1) / (float)(fade + 1);
            trimmed[i] *= gain;
            trimmed[^(i + 1)] *= gain;
        }

        return trimmed;
    }
}
