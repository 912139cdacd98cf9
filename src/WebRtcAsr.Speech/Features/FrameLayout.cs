namespace WebRtcAsr.Speech.Features;

/// <summary>
/// Where Kaldi frames lie in the signal and how many exist (kaldi-native-fbank's
/// <c>FirstSampleOfFrame</c> and <c>NumFrames</c>).
/// </summary>
internal readonly record struct FrameLayout(int Shift, int Length, bool SnipEdges)
{
    /// <summary>
    /// Index of the first sample of frame <paramref name="frame"/>. With snip_edges = false frames are
    /// centred on shift·f + shift/2, so the first one starts before the signal (−120 at 16 kHz).
    /// </summary>
    public long FirstSample(long frame) =>
        SnipEdges ? frame * Shift : (frame * Shift) + (Shift / 2) - (Length / 2);

    /// <summary>
    /// Number of frames of a signal of <paramref name="numSamples"/> samples. Without
    /// <paramref name="flush"/> (more input may come) only frames that end inside the signal count;
    /// with it, snip_edges = false gives round(numSamples / shift) frames, the last ones reflected.
    /// </summary>
    public long NumFrames(long numSamples, bool flush)
    {
        if (SnipEdges)
        {
            return numSamples < Length ? 0 : 1 + ((numSamples - Length) / Shift);
        }

        long frames = (numSamples + (Shift / 2)) / Shift;
        if (flush)
        {
            return frames;
        }

        while (frames > 0 && FirstSample(frames - 1) + Length > numSamples)
        {
            frames--;
        }

        return frames;
    }
}
