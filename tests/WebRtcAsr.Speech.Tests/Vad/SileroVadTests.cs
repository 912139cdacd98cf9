using WebRtcAsr.Speech.Onnx;
using WebRtcAsr.Speech.Tests.Onnx;
using WebRtcAsr.Speech.Vad;
using Xunit.Abstractions;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Speech.Tests.Vad;

public class SileroVadTests(ITestOutputHelper output)
{
    private const int Window = SileroVadModel.WindowSamples;

    [Fact]
    public void Probabilities_match_vad_web_running_the_same_model_on_onnxruntime_node()
    {
        float[] audio = VadTestData.Read16k("vad_reference_16k.wav");
        float[] expected = VadTestData.ReadF32("vad_reference_16k.silero_v5.f32");
        Assert.Equal(audio.Length / Window, expected.Length);

        using SileroVad vad = VadTestData.Model.CreateStream();
        float[] actual = Run(vad, audio);

        float worst = 0;
        for (int w = 0; w < expected.Length; w++) worst = Math.Max(worst, Math.Abs(actual[w] - expected[w]));
        output.WriteLine($"{expected.Length} windows, largest difference from the reference {worst:E2}");
        Assert.True(worst < 1e-4f, $"largest difference {worst}");
        Assert.Contains(actual, p => p > 0.9f);   // the file has speech and silence: not a trivially flat output
        Assert.Contains(actual, p => p < 0.01f);
    }

    [Fact]
    public void Without_the_carried_context_the_reference_is_not_met()
    {
        // Guards the test above: the same model run with the state carried but the 64-sample context
        // left at zero (as a wrapper that forgets upstream's context would) gives different probabilities.
        float[] audio = VadTestData.Read16k("vad_reference_16k.wav");
        float[] expected = VadTestData.ReadF32("vad_reference_16k.silero_v5.f32");
        using var input = new OnnxTensor<float>([1, 64 + Window]);
        using var stateIn = new OnnxTensor<float>([2, 1, 128]);
        using var stateOut = new OnnxTensor<float>([2, 1, 128]);
        using var sr = new OnnxTensor<long>(VadTestData.Model.SrIsScalar ? [] : [1]);
        using var probability = new OnnxTensor<float>([1, 1]);
        sr.Span[0] = 16000;
        float worst = 0;
        for (int w = 0; w < expected.Length; w++)
        {
            audio.AsSpan(w * Window, Window).CopyTo(input.Span[64..]);
            VadTestData.Model.Plan.Run([input, stateIn, sr], [probability, stateOut]);
            stateOut.Span.CopyTo(stateIn.Span);
            worst = Math.Max(worst, Math.Abs(probability.Span[0] - expected[w]));
        }
        output.WriteLine($"without the context, the largest difference from the reference is {worst:F3}");
        Assert.True(worst > 1e-2f);
    }

    [Fact]
    public void Reset_starts_a_new_stream()
    {
        float[] audio = VadTestData.Read16k("vad_reference_16k.wav");
        float[] expected = VadTestData.ReadF32("vad_reference_16k.silero_v5.f32");
        using SileroVad vad = VadTestData.Model.CreateStream();
        Run(vad, audio.AsSpan(0, 40 * Window));
        vad.Reset();
        Assert.Equal(0, vad.WindowsProcessed);
        float[] again = Run(vad, audio);
        for (int w = 0; w < expected.Length; w++) Assert.True(Math.Abs(again[w] - expected[w]) < 1e-4f, $"window {w}");
    }

    [Fact]
    public void Rewarm_leaves_the_state_a_fresh_stream_has_after_the_same_audio()
    {
        // The reference from window 20 on is what a stream that began with windows 0..19 gives: a stream that has
        // heard other audio and is then rewarmed on windows 0..19 must give exactly that.
        float[] audio = VadTestData.Read16k("vad_reference_16k.wav");
        float[] expected = VadTestData.ReadF32("vad_reference_16k.silero_v5.f32");
        using SileroVad vad = VadTestData.Model.CreateStream();
        Run(vad, audio.AsSpan(60 * Window, 30 * Window));
        vad.Rewarm(audio.AsSpan(0, 20 * Window));
        Assert.Equal(1, vad.Rewarms);
        float[] after = Run(vad, audio.AsSpan(20 * Window, 40 * Window));
        for (int w = 0; w < after.Length; w++) Assert.True(Math.Abs(after[w] - expected[20 + w]) < 1e-4f, $"window {20 + w}");
        Assert.Throws<ArgumentException>(() => vad.Rewarm(audio.AsSpan(0, Window + 1)));
    }

    [Fact]
    public void Streams_over_one_model_do_not_share_state()
    {
        float[] audio = VadTestData.Read16k("vad_reference_16k.wav");
        float[] expected = VadTestData.ReadF32("vad_reference_16k.silero_v5.f32");
        using SileroVad a = VadTestData.Model.CreateStream();
        using SileroVad b = VadTestData.Model.CreateStream();
        var silence = new float[Window];
        for (int w = 0; w < expected.Length; w++)
        {
            Assert.True(Math.Abs(a.Process(audio.AsSpan(w * Window, Window)) - expected[w]) < 1e-4f, $"window {w}");
            b.Process(silence);
        }
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Non_finite_samples_are_taken_as_silence(float bad)
    {
        float[] audio = VadTestData.Read16k("vad_reference_16k.wav");
        using SileroVad clean = VadTestData.Model.CreateStream();
        using SileroVad broken = VadTestData.Model.CreateStream();
        var poisoned = (float[])audio.Clone();
        for (int i = 20 * Window; i < 20 * Window + 300; i += 7)
        {
            audio[i] = 0f;
            poisoned[i] = bad;
        }
        float[] expected = Run(clean, audio);
        float[] actual = Run(broken, poisoned);
        Assert.Equal(expected, actual);
        Assert.Equal(1, broken.NonFiniteWindows);
        Assert.Equal(0, clean.NonFiniteWindows);
    }

    [Fact]
    public void A_window_of_the_wrong_length_is_refused()
    {
        using SileroVad vad = VadTestData.Model.CreateStream();
        var e = Assert.Throws<ArgumentException>(() => vad.Process(new float[480]));
        Assert.Contains("512", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_window_allocates_no_managed_memory_in_steady_state()
    {
        float[] audio = VadTestData.Read16k("vad_reference_16k.wav");
        using SileroVad vad = VadTestData.Model.CreateStream();
        for (int pass = 0; pass < 3; pass++) Run(vad, audio);   // JIT and tiering settle first

        int windows = audio.Length / Window;
        float sum = 0;
        long allocated = SteadyStateAllocation.Measure(() =>
        {
            for (int w = 0; w < windows; w++) sum += vad.Process(audio.AsSpan(w * Window, Window));
        });
        output.WriteLine($"{allocated} managed bytes over {windows} windows");
        Assert.Equal(0, allocated);
        Assert.True(sum > 0);
    }

    [Fact]
    public void A_model_without_the_silero_interface_is_refused_with_what_was_found()
    {
        var e = Assert.Throws<OnnxRuntimeException>(() => SileroVadModel.Load(TestModel.AddMatMul));
        Assert.Contains("not a Silero VAD v5 model", e.Message, StringComparison.Ordinal);
        Assert.Contains("x: Float", e.Message, StringComparison.Ordinal);
    }

    private static float[] Run(SileroVad vad, ReadOnlySpan<float> audio)
    {
        var probabilities = new float[audio.Length / Window];
        for (int w = 0; w < probabilities.Length; w++) probabilities[w] = vad.Process(audio.Slice(w * Window, Window));
        return probabilities;
    }
}
