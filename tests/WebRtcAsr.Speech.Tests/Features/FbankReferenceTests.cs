using Xunit.Abstractions;

namespace WebRtcAsr.Speech.Tests.Features;

/// <summary>
/// OnlineFbank against Kaldi's algorithm as torchaudio.compliance.kaldi.fbank computes it in float64
/// with sherpa-onnx's settings (see make_fbank_reference.py for the mapping): an independent check of
/// the algorithm. Bit-exactness with sherpa-onnx itself is SherpaFbankTests' job.
/// </summary>
public sealed class FbankReferenceTests(ITestOutputHelper output)
{
    // OnlineFbank follows kaldi-native-fbank's float32 arithmetic; the reference is float64, so the two
    // differ by float32 rounding, which is absolute in the power domain (relative to the frame's
    // strongest bins). Measured on these signals: ≤ 3e-5 where log-mel ≥ −5, ≤ 1.5e-4 down to −10,
    // and up to 6e-3 in the weakest bins (−16..−10, energies 1e-7..5e-5, 80–100 dB under the chirp's
    // peak) where rounding noise is a visible part of the value. A mistake (window, mel edges, epsilon,
    // input scale, frame position) moves values by ≥ 1e-2, usually by whole units, in the strong bins.
    private const float StrongBinLevel = -10f;
    private const float StrongBinTolerance = 5e-4f;
    private const float WeakBinTolerance = 2e-2f;

    [Theory]
    [InlineData("fsdd_5_nicolas_2")]
    [InlineData("chirp_100_7000")]
    [InlineData("silence_then_tone")]
    public void Matches_the_float64_Kaldi_reference(string name)
    {
        float[] samples = FeatureTestData.ReadWav(name);
        float[][] expected = FeatureTestData.ReadReference(name);

        float[][] actual = FeatureTestData.WholeSignalFrames(samples);

        Assert.Equal(expected.Length, actual.Length);
        float worst = 0;
        int worstFrame = 0, worstBin = 0;
        double sum = 0;
        for (int f = 0; f < expected.Length; f++)
        {
            for (int b = 0; b < FeatureTestData.Dim; b++)
            {
                float diff = Math.Abs(expected[f][b] - actual[f][b]);
                sum += diff;
                if (diff > worst)
                {
                    (worst, worstFrame, worstBin) = (diff, f, b);
                }
            }
        }

        output.WriteLine(
            $"{name}: {actual.Length} frames, max |diff| {worst:E2} (frame {worstFrame}, bin {worstBin}: " +
            $"ref {expected[worstFrame][worstBin]:F4}), mean |diff| {sum / (expected.Length * 80.0):E2}");
        for (int f = 0; f < expected.Length; f++)
        {
            for (int b = 0; b < FeatureTestData.Dim; b++)
            {
                float tolerance = expected[f][b] >= StrongBinLevel ? StrongBinTolerance : WeakBinTolerance;
                float diff = Math.Abs(expected[f][b] - actual[f][b]);
                Assert.True(diff <= tolerance, $"frame {f} bin {b}: ref {expected[f][b]}, got {actual[f][b]}");
            }
        }
    }

    [Fact]
    public void Digital_silence_gives_exactly_the_log_of_float_epsilon()
    {
        float[][] actual = FeatureTestData.WholeSignalFrames(FeatureTestData.ReadWav("silence_then_tone"));

        // Frames 0..22 lie wholly in the 4000 leading zeros (frame 22 ends at 22·160 − 120 + 400 = 3800).
        float floor = MathF.Log(1.1920929E-07f);
        for (int f = 0; f <= 22; f++)
        {
            Assert.All(actual[f], v => Assert.Equal(floor, v));
        }

        Assert.Equal(-15.942385f, floor, 5);
    }
}
