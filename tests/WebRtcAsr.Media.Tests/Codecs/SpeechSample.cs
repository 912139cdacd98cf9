using WebRtcAsr.Media.Audio;
using WebRtcAsr.Media.Resampling;

namespace WebRtcAsr.Media.Tests.Codecs;

/// <summary>Real speech for codec tests: two FSDD recordings (8 kHz) up-sampled to 48 kHz by our resampler.</summary>
internal static class SpeechSample
{
    private static readonly Lazy<float[]> Speech48k = new(Load);

    /// <summary>"three" then "seven", 100 ms apart, at 48 kHz, trimmed to whole 20 ms frames.</summary>
    public static float[] At48kHz => Speech48k.Value;

    private static float[] Load()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "Audio", "TestData");
        float[] three = WavFile.Read(Path.Combine(folder, "3_jackson_0.wav")).ToMono();
        float[] seven = WavFile.Read(Path.Combine(folder, "7_lucas_29.wav")).ToMono();
        float[] speech8k = [.. new float[800], .. three, .. new float[800], .. seven, .. new float[800]];

        var resampler = new Resampler(8000, 48000);
        var up = new float[resampler.MaxOutputLength(speech8k.Length) + resampler.MaxFlushLength];
        int n = resampler.Process(speech8k, up);
        n += resampler.Flush(up.AsSpan(n));
        int frames = (n - resampler.LatencySamples) / 960;
        return up[resampler.LatencySamples..(resampler.LatencySamples + (frames * 960))];
    }
}
