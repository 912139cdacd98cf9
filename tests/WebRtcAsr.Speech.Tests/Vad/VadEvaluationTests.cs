using System.Globalization;
using WebRtcAsr.Speech.Vad;
using Xunit.Abstractions;

namespace WebRtcAsr.Speech.Tests.Vad;

/// <summary>
/// Frame-level precision and recall of the detector on real speech (ten FSDD recordings at known
/// places, 20 s in all): with the default options at 16 kHz, clean and in white and pink noise; and as
/// a phone call delivers it (8 kHz, G.711 μ-law, resampled) with <see cref="VadOptions.Narrowband"/>.
/// </summary>
public class VadEvaluationTests(ITestOutputHelper output)
{
    private const int Frame = 160;   // 10 ms

    [Theory]
    // Floors a little under what was measured (see README.md in src/WebRtcAsr.Speech/Vad). Recall is
    // bounded by onset consonants (/t/, /s/, /f/: 50-130 ms) that Silero scores low but the truth counts.
    [InlineData(NoiseKind.None, 0, 0.87, 0.86)]
    [InlineData(NoiseKind.White, 20, 0.88, 0.79)]
    [InlineData(NoiseKind.White, 10, 0.88, 0.77)]
    [InlineData(NoiseKind.Pink, 15, 0.88, 0.79)]
    [InlineData(NoiseKind.Pink, 10, 0.88, 0.78)]
    public void Speech_frames_are_found_with_sane_precision_and_recall(NoiseKind noise, double snrDb, double minRecall, double minPrecision) =>
        Evaluate(SpeechScene.Make(noise, snrDb), noise == NoiseKind.None ? "clean" : string.Create(CultureInfo.InvariantCulture, $"{noise} noise {snrDb} dB SNR"), minRecall, minPrecision);

    [Theory]
    [InlineData(NoiseKind.None, 0, 0.87, 0.85)]
    [InlineData(NoiseKind.Pink, 15, 0.87, 0.79)]
    [InlineData(NoiseKind.White, 15, 0.87, 0.78)]
    public void Speech_frames_are_found_on_a_phone_call_path_with_the_narrowband_options(NoiseKind noise, double snrDb, double minRecall, double minPrecision) =>
        Evaluate(
            SpeechScene.MakeTelephone(noise, snrDb),
            noise == NoiseKind.None ? "G.711 μ-law 8 kHz, clean" : string.Create(CultureInfo.InvariantCulture, $"G.711 μ-law 8 kHz, {noise} noise {snrDb} dB SNR"),
            minRecall,
            minPrecision,
            VadOptions.Narrowband);

    [Theory]
    // Loud talkers (RMS -10 or -16 dBFS, clipped) and quiet ones (-36 dBFS) in turn, 0.8-3 s apart. Silero's
    // state remembers how loud the stream was: carried through, it found 4 of the 10 (the quiet ones after a
    // loud one, and loud ones after a quiet one, scored low); rewarmed after each second of quiet, all 10.
    [InlineData(-10.0)]
    [InlineData(-16.0)]
    public void A_quiet_talker_after_a_loud_one_is_heard(double loudDbfs)
    {
        SpeechScene scene = SpeechScene.MakeLoudThenQuiet(loudDbfs, quietDbfs: -36);
        int Found(VadOptions options, out double latestStartMs)
        {
            var sink = new RecordingSink();
            using var detector = new VoiceActivityDetector(VadTestData.Model, options);
            detector.Process(scene.Samples, sink);
            detector.Finish(sink);
            var decided = scene.Truth
                .Select(t => sink.Starts.Where(s => s.StreamSample < t.End && s.DecidedAtSample > t.Start).Select(s => (s.DecidedAtSample - t.Start) / 16.0).DefaultIfEmpty(-1).First())
                .ToList();
            latestStartMs = decided.Max();
            return decided.Count(d => d >= 0);
        }

        int found = Found(new VadOptions(), out double latest);
        int foundCarried = Found(new VadOptions { RewarmAfterQuietMs = 0 }, out _);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"loud {loudDbfs} dBFS, quiet -36 dBFS: found {found}/10 (latest start decided {latest:F0} ms after the true start); state carried through: {foundCarried}/10"));
        Assert.Equal(scene.Truth.Length, found);
        Assert.True(latest <= 400, $"a start was decided {latest:F0} ms after the speech began");
        Assert.True(foundCarried < scene.Truth.Length, "the scene no longer shows the problem the rewarm is for");
    }

    private void Evaluate(SpeechScene scene, string condition, double minRecall, double minPrecision, VadOptions? options = null)
    {
        var sink = new RecordingSink();
        using var detector = new VoiceActivityDetector(VadTestData.Model, options);
        detector.Process(scene.Samples, sink);
        detector.Finish(sink);

        List<(long Start, long End)> segments = sink.Segments(scene.Samples.Length);
        (double precision, double recall) = Score(scene, s => segments.Any(g => s >= g.Start && s < g.End));
        // The raw model, window by window at the threshold, for comparison.
        float threshold = detector.Options.Threshold;
        (double rawPrecision, double rawRecall) = Score(scene, s => sink.Probabilities.Count > s / 512 && sink.Probabilities[(int)(s / 512)] >= threshold);
        int found = scene.Truth.Count(t => segments.Any(g => g.Start < t.End && g.End > t.Start));
        // What the recognizer gets: the share of speech frames the gate forwarded (pre-roll included).
        (double gatePrecision, double gateRecall) = Score(scene, sink.WasForwarded);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{condition}, threshold {threshold}: segments precision {precision:F3} recall {recall:F3}; raw windows precision {rawPrecision:F3} recall {rawRecall:F3}; " +
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
