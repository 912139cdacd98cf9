using WebRtcAsr.Speech.Features;

namespace WebRtcAsr.Speech.Tests.Features;

/// <summary>
/// OnlineFbank against the frames sherpa-onnx 1.13.8 itself computes (its FeatureExtractor, run by
/// SherpaOracle/make_sherpa_fbank_reference.sh from the npm package's library): they must be equal
/// bit for bit, because the recognizer must emit exactly sherpa's tokens.
/// </summary>
public sealed class SherpaFbankTests
{
    [Theory]
    [InlineData("fsdd_5_nicolas_2")]
    [InlineData("chirp_100_7000")]
    [InlineData("silence_then_tone")]
    public void Sixteen_bit_signals_give_sherpas_frames_bit_for_bit(string name)
    {
        float[] samples = FeatureTestData.ReadWav(name);
        float[][] expected = FeatureTestData.ReadFrames(name + ".sherpa.f32", FeatureTestData.Dim);

        FeatureTestData.AssertBitwiseEqual(expected, FeatureTestData.WholeSignalFrames(samples));
        FeatureTestData.AssertBitwiseEqual(expected, InChunks(samples, 37));
    }

    [Fact]
    public void A_float_signal_off_the_16_bit_grid_gives_sherpas_frames_bit_for_bit()
    {
        float[] samples = FeatureTestData.ReadRawFloats("float_noise_tone.f32");
        float[][] expected = FeatureTestData.ReadFrames("float_noise_tone.sherpa.f32", FeatureTestData.Dim);

        FeatureTestData.AssertBitwiseEqual(expected, FeatureTestData.WholeSignalFrames(samples));
        FeatureTestData.AssertBitwiseEqual(expected, InChunks(samples, 160));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(150)]
    [InlineData(281)]
    [InlineData(450)]
    public void Signals_shorter_than_a_window_reflect_like_sherpa(int length)
    {
        float[] samples = FeatureTestData.ReadRawFloats("float_noise_tone.f32")[..length];
        float[][] expected = FeatureTestData.ReadFrames($"float_noise_tone_first{length}.sherpa.f32", FeatureTestData.Dim);

        FeatureTestData.AssertBitwiseEqual(expected, FeatureTestData.WholeSignalFrames(samples));
    }

    [Fact]
    public void InputScale_32768_matches_sherpas_normalize_samples_false()
    {
        float[] samples = FeatureTestData.ReadWav("fsdd_5_nicolas_2");
        float[][] expected = FeatureTestData.ReadFrames("fsdd_5_nicolas_2.scaled32768.sherpa.f32", FeatureTestData.Dim);

        FeatureTestData.AssertBitwiseEqual(expected, FeatureTestData.WholeSignalFrames(samples, new FbankOptions { InputScale = 32768f }));
    }

    private static float[][] InChunks(float[] samples, int chunk)
    {
        var fbank = new OnlineFbank(new FbankOptions());
        for (int i = 0; i < samples.Length; i += chunk)
        {
            fbank.AcceptWaveform(samples.AsSpan(i, Math.Min(chunk, samples.Length - i)));
        }

        fbank.InputFinished();
        return FeatureTestData.ReadAll(fbank);
    }
}
