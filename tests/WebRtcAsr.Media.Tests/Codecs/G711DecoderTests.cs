using WebRtcAsr.TestSupport;
using WebRtcAsr.Media.Codecs;

namespace WebRtcAsr.Media.Tests.Codecs;

public sealed class G711DecoderTests
{
    private const int Frame = 160; // 20 ms at 8 kHz

    private static float[] Sine(int start, int count, double hz, double amplitude = 0.5)
    {
        var samples = new float[count];
        for (int i = 0; i < count; i++)
        {
            samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * (start + i) / 8000.0));
        }
        return samples;
    }

    private static byte[] MuLaw(float[] samples)
    {
        var codes = new byte[samples.Length];
        G711.EncodeMuLaw(samples, codes);
        return codes;
    }

    [Fact]
    public void Decodes_each_law_to_the_table_values()
    {
        byte[] payload = Enumerable.Range(0, 256).Select(c => (byte)c).ToArray();
        float[] output = new float[960];
        using var mu = (G711Decoder)AudioCodecs.Create("pcmu");
        using var a = (G711Decoder)AudioCodecs.Create("PCMA");
        Assert.Equal(("PCMU", 8000, 8000), (mu.Name, mu.ClockRate, mu.OutputRate));
        Assert.Equal(256, mu.Decode(payload, output));
        Assert.Null(mu.LastError);
        for (int i = 0; i < 256; i++)
        {
            Assert.Equal(G711.MuLawToLinear((byte)i) / 32768f, output[i]);
        }
        Assert.Equal(256, a.Decode(payload, output));
        for (int i = 0; i < 256; i++)
        {
            Assert.Equal(G711.ALawToLinear((byte)i) / 32768f, output[i]);
        }
    }

    [Fact]
    public void Rejects_bad_payloads_without_throwing()
    {
        using var decoder = new G711Decoder(aLaw: false);
        float[] output = new float[960];
        Assert.Equal(-1, decoder.Decode([], output));
        Assert.Contains("empty", decoder.LastError, StringComparison.Ordinal);
        Assert.Equal(-1, decoder.Decode(new byte[961], new float[2000]));
        Assert.Contains("961", decoder.LastError, StringComparison.Ordinal);
        Assert.Equal(-1, decoder.Decode(new byte[200], new float[100]));
        Assert.Contains("does not fit", decoder.LastError, StringComparison.Ordinal);
        Assert.Equal(-1, decoder.Conceal(0, output));
        Assert.False(decoder.HasFec(new byte[160]));
        Assert.Equal(-1, decoder.DecodeFec(new byte[160], 160, output));
        Assert.NotNull(decoder.LastError);
    }

    [Fact]
    public void Concealment_before_any_audio_is_silence_of_the_asked_length()
    {
        using var decoder = new G711Decoder(aLaw: true);
        float[] output = Enumerable.Repeat(1f, 400).ToArray();
        Assert.Equal(Frame, decoder.Conceal(Frame, output));
        Assert.All(output.Take(Frame), s => Assert.Equal(0f, s));
        Assert.Equal(1f, output[Frame]); // nothing written past the asked length
    }

    [Fact]
    public void Concealment_continues_a_voiced_signal_then_fades_to_silence_by_60_ms()
    {
        // 125 Hz: pitch period 64 samples, inside the 40..120 search range.
        using var decoder = new G711Decoder(aLaw: false);
        float[] output = new float[Frame];
        int position = 0;
        for (int f = 0; f < 5; f++, position += Frame)
        {
            decoder.Decode(MuLaw(Sine(position, Frame, 125)), output);
        }
        // Lose 80 ms (4 packets).
        var concealed = new List<float>();
        for (int f = 0; f < 4; f++)
        {
            Assert.Equal(Frame, decoder.Conceal(Frame, output));
            concealed.AddRange(output);
        }
        float[] truth = Sine(position, 4 * Frame, 125);
        // First 10 ms: full-level continuation of the waveform.
        double maxError = 0;
        for (int i = 0; i < 80; i++)
        {
            maxError = Math.Max(maxError, Math.Abs(concealed[i] - truth[i]));
        }
        Assert.True(maxError < 0.03, $"first 10 ms deviates by {maxError:F4} from the continued sine");
        // 30-40 ms: attenuated (gain 0.6..0.4), still the same waveform shape.
        double ratio = Rms(concealed, 240, 80) / Rms(truth, 240, 80);
        Assert.InRange(ratio, 0.4, 0.62);
        // From 60 ms on: silence.
        Assert.All(concealed.Skip(480), s => Assert.Equal(0f, s));
    }

    [Fact]
    public void After_20_ms_of_loss_the_last_three_pitch_periods_are_repeated()
    {
        // A 125 Hz tone (64-sample period) whose amplitude steps every period, so the periods differ.
        const int period = 64;
        float[] signal = new float[6 * Frame];
        for (int i = 0; i < signal.Length; i++)
        {
            double amplitude = 0.2 + (0.1 * ((i / period) % 3));
            signal[i] = (float)(amplitude * Math.Sin(2 * Math.PI * i / period));
        }
        using var decoder = new G711Decoder(aLaw: true);
        float[] output = new float[Frame];
        for (int f = 0; f < 6; f++)
        {
            var codes = new byte[Frame];
            G711.EncodeALaw(signal.AsSpan(f * Frame, Frame), codes);
            decoder.Decode(codes, output);
        }
        float[] concealed = new float[3 * Frame];
        Assert.Equal(concealed.Length, decoder.Conceal(concealed.Length, concealed));
        // Undo the documented attenuation (full level for 10 ms, then −20 % per 10 ms).
        double Level(int t) => concealed[t] / (t < 80 ? 1.0 : 1.0 - ((t - 80) / 400.0));
        double threePeriodError = 0, onePeriodError = 0;
        for (int t = 200 + (3 * period); t < 440; t++)
        {
            threePeriodError = Math.Max(threePeriodError, Math.Abs(Level(t) - Level(t - (3 * period))));
            onePeriodError = Math.Max(onePeriodError, Math.Abs(Level(t) - Level(t - period)));
        }
        Assert.True(threePeriodError < 1e-4, $"not 3-period periodic: {threePeriodError:F5}");
        Assert.True(onePeriodError > 0.05, $"still repeating a single period: {onePeriodError:F5}");
    }

    [Fact]
    public void Recovery_cross_fades_into_the_good_frame_without_a_jump()
    {
        using var decoder = new G711Decoder(aLaw: false);
        float[] output = new float[Frame];
        int position = 0;
        for (int f = 0; f < 5; f++, position += Frame)
        {
            decoder.Decode(MuLaw(Sine(position, Frame, 125)), output);
        }
        float last = 0;
        for (int f = 0; f < 2; f++, position += Frame)
        {
            decoder.Conceal(Frame, output);
            last = output[^1];
        }
        // The good frame resumes with a phase jump of half a period: without the cross-fade the
        // first sample would jump by about the full peak-to-peak.
        float[] good = Sine(position + 32, Frame, 125);
        decoder.Decode(MuLaw(good), output);
        double maxStep = Math.Abs(output[0] - last);
        for (int i = 1; i < Frame; i++)
        {
            maxStep = Math.Max(maxStep, Math.Abs(output[i] - output[i - 1]));
        }
        double sineStep = 0.5 * 2 * Math.PI * 125 / 8000; // largest step of the sine itself
        Assert.True(maxStep < 2.5 * sineStep, $"largest sample step {maxStep:F3} (sine's own {sineStep:F3})");
        // After the fade (4 ms + 4 ms per further 10 ms of loss, at most 10 ms) the frame is the real audio.
        for (int i = 80; i < Frame; i++)
        {
            Assert.Equal(G711.MuLawToLinear(G711.LinearToMuLaw((short)Math.Round(good[i] * 32768))) / 32768f, output[i]);
        }
    }

    [Fact]
    public void Steady_state_decode_and_conceal_allocate_nothing()
    {
        using var decoder = new G711Decoder(aLaw: false);
        byte[] payload = MuLaw(Sine(0, Frame, 300));
        float[] output = new float[Frame];
        for (int i = 0; i < 10; i++)
        {
            decoder.Decode(payload, output);
            decoder.Conceal(Frame, output);
        }
        Assert.Equal(0, SteadyStateAllocation.Measure(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                decoder.Decode(payload, output);
                decoder.Conceal(Frame, output);
            }
        }));
    }

    private static double Rms(IReadOnlyList<float> samples, int start, int count)
    {
        double sum = 0;
        for (int i = start; i < start + count; i++)
        {
            sum += samples[i] * samples[i];
        }
        return Math.Sqrt(sum / count);
    }
}
