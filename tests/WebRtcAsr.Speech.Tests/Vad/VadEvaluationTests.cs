using System.Globalization;
using WebRtcAsr.Speech.Vad;
using Xunit.Abstractions;

namespace WebRtcAsr.Speech.Tests.Vad;

/// <summary>
/// Frame-level precision and recall of the detector on real speech (ten FSDD recordings at known
/// places, 21 s in all) with the default options, clean and in white and pink noise.
/// </summary>
public class VadEvaluationTests(ITestOutputHelper output)
{
    private const int Frame = 160;   // 10 ms

    [Theory]
    // Floors a little under what was measured (see README.md in src/WebRtcAsr.Speech/Vad). Recall is
    // bounded by onset consonants (/t/, /s/, /f/: 50-130 ms) that Silero scores low but the truth counts.
    [InlineData(NoiseKind.None, 0, 0.80, 0.88)]
    [InlineData(NoiseKind.White, 20, 0.85, 0.80)]
    [InlineData(NoiseKind.White, 10, 0.85, 0.78)]
    [InlineData(NoiseKind.Pink, 15, 0.85, 0.80)]
    [InlineData(NoiseKind.Pink, 10, 0.85, 0.78)]
    public void Speech_frames_are_found_with_sane_precision_and_recall(NoiseKind noise, double snrDb, double minRecall, double minPrecision)
    {
        SpeechScene scene = SpeechScene.Make(noise, snrDb);
        var sink = new RecordingSink();
        using var detector = new VoiceActivityDetector(VadTestData.Model);
        detector.Process(scene.Samples, sink);
        detector.Finish(sink);

        List<(long Start, long End)> segments = sink.Segments(scene.Samples.Length);
        (double precision, double recall) = Score(scene, s => segments.Any(g => s >= g.Start && s < g.End));
        // The raw model, window by window at the threshold, for comparison.
        (double rawPrecision, double rawRecall) = Score(scene, s => sink.Probabilities.Count > s / 512 && sink.Probabilities[(int)(s / 512)] >= 0.5f);
        int found = scene.Truth.Count(t => segments.Any(g => g.Start < t.End && g.End > t.Start));
        // What the recognizer gets: the share of speech frames the gate forwarded (pre-roll included).
        (double gatePrecision, double gateRecall) = Score(scene, sink.WasForwarded);

        string condition = noise == NoiseKind.None ? "clean" : string.Create(CultureInfo.InvariantCulture, $"{noise} noise {snrDb} dB SNR");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{condition}: segments precision {precision:F3} recall {recall:F3}; raw windows precision {rawPrecision:F3} recall {rawRecall:F3}; " +
            $"{found}/{scene.Truth.Length} recordings found, {segments.Count} segments; gate forwarded {gateRecall:P1} of speech frames, " +
            $"{sink.Forwarded / 16000.0:F2} s of {scene.Samples.Length / 16000.0:F2} s"));
        Assert.Equal(scene.Truth.Length, found);
        Assert.Equal(scene.Truth.Length, segments.Count);
        Assert.Equal(1.0, gateRecall);
        Assert.True(recall >= minRecall, $"recall {recall:F3} < {minRecall}");
        Assert.True(precision >= minPrecision, $"precision {precision:F3} < {minPrecision}");
    }

    /// <summary>Precision and recall over 10 ms frames, judged at each frame's centre.</summary>
    private static (double Precision, double Recall) Score(SpeechScene scene, Func<long, bool> predicted)
    {
        long tp = 0, fp = 0, fn = 0;
        for (long frame = 0; (frame + 1) * Frame <= scene.Samples.Length; frame++)
        {
            long centre = (frame * Frame) + (Frame / 2);
            bool truth = scene.IsSpeech(centre);
            bool said = predicted(centre);
            if (truth && said) tp++;
            else if (said) fp++;
            else if (truth) fn++;
        }
        return (tp / (double)Math.Max(1, tp + fp), tp / (double)Math.Max(1, tp + fn));
    }
}
