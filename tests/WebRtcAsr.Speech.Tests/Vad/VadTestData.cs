using System.Buffers.Binary;
using WebRtcAsr.Media.Audio;
using WebRtcAsr.Media.Resampling;
using WebRtcAsr.Speech.Vad;

namespace WebRtcAsr.Speech.Tests.Vad;

/// <summary>The VAD tests' audio (Vad/Data, see its README) and the one shared model.</summary>
internal static class VadTestData
{
    private static readonly Lazy<SileroVadModel> s_model = new(() => SileroVadModel.Load());

    /// <summary>The FSDD recordings copied for the tests, one per digit, five speakers.</summary>
    public static readonly string[] FsddNames =
    [
        "0_jackson_0", "1_george_1", "2_nicolas_2", "3_yweweler_0", "4_nicolas_1",
        "5_jackson_1", "6_george_1", "7_yweweler_1", "8_lucas_1", "9_lucas_2",
    ];

    /// <summary>The model, loaded once for all tests (found as the server finds it).</summary>
    public static SileroVadModel Model => s_model.Value;

    public static string PathOf(string fileName) => Path.Combine(AppContext.BaseDirectory, "Vad", "Data", fileName);

    /// <summary>A 16 kHz mono WAV file's samples.</summary>
    public static float[] Read16k(string fileName)
    {
        WavAudio wav = WavFile.Read(PathOf(fileName));
        Assert.Equal(16000, wav.SampleRate);
        return wav.ToMono();
    }

    /// <summary>An FSDD recording (8 kHz), resampled to 16 kHz with the resampler's delay removed, so sample 2n is input sample n.</summary>
    public static float[] ReadFsdd16k(string name)
    {
        WavAudio wav = WavFile.Read(PathOf($"fsdd_{name}.wav"));
        Assert.Equal(8000, wav.SampleRate);
        float[] input = wav.ToMono();
        var resampler = new Resampler(8000, 16000);
        var output = new float[resampler.MaxOutputLength(input.Length) + resampler.MaxFlushLength];
        int written = resampler.Process(input, output);
        written += resampler.Flush(output.AsSpan(written));
        int latency = resampler.LatencySamples;
        int length = Math.Min(written - latency, input.Length * 2);
        return output.AsSpan(latency, length).ToArray();
    }

    /// <summary>Little-endian float32 values.</summary>
    public static float[] ReadF32(string fileName)
    {
        byte[] bytes = File.ReadAllBytes(PathOf(fileName));
        var values = new float[bytes.Length / 4];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
        return values;
    }
}
