namespace WebRtcAsr.Media.Audio;

/// <summary>Decoded WAV contents: interleaved float samples in [-1, 1].</summary>
public sealed record WavAudio(int SampleRate, int Channels, float[] Samples)
{
    /// <summary>Frames (samples per channel).</summary>
    public int FrameCount => Channels == 0 ? 0 : Samples.Length / Channels;

    /// <summary>Length in seconds.</summary>
    public double DurationSeconds => SampleRate == 0 ? 0 : FrameCount / (double)SampleRate;

    /// <summary>Mono mix (channel average); the samples themselves when already mono.</summary>
    public float[] ToMono()
    {
        if (Channels == 1)
        {
            return Samples;
        }
        var mono = new float[FrameCount];
        float scale = 1f / Channels;
        for (int frame = 0; frame < mono.Length; frame++)
        {
            float sum = 0;
            int start = frame * Channels;
            for (int channel = 0; channel < Channels; channel++)
            {
                sum += Samples[start + channel];
            }
            mono[frame] = sum * scale;
        }
        return mono;
    }
}
