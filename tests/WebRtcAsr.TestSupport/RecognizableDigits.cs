using WebRtcAsr.Speech.Onnx;
using WebRtcAsr.Speech.Recognition;
using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.TestSupport;

/// <summary>
/// Held-out FSDD digit strings that a model gets right offline, chosen at test time: an end-to-end test then checks
/// the path (call, codec, resampler, VAD, sessions, delivery) rather than the model's accuracy, and keeps working
/// when the model in its folder is retrained.
/// </summary>
public static class RecognizableDigits
{
    /// <summary>
    /// The first <paramref name="count"/> of a fixed list of held-out strings (8 kHz, 1 to <paramref name="maxDigits"/>
    /// digits) that the model in <paramref name="modelDir"/> recognizes exactly when fed at 16 kHz the way the server does.
    /// Throws when fewer than <paramref name="count"/> of <paramref name="candidates"/> are recognized.
    /// </summary>
    public static IReadOnlyList<DigitString> Choose(string modelDir, int count, int maxDigits = 4, int candidates = 24, int seed = 2026)
    {
        var all = DigitStrings.Compose(Fsdd.Recordings(RepoPaths.FsddRecordings()), r => r.IsTest, count: 2, seed, maxDigits)
            .Where(s => s.Digits.Length >= Math.Min(2, maxDigits))
            .Take(candidates)
            .ToList();
        var recognizer = OnlineRecognizer.Load(TransducerModelPaths.FromDirectory(modelDir), sessionOptions: new OnnxSessionOptions());
        try
        {
            var chosen = new List<DigitString>();
            foreach (var candidate in all)
            {
                var heard = DigitRecognition.Run(recognizer, DigitStrings.Resample(candidate, 16_000), chunkSamples: 320);
                if (heard.Digits == candidate.Digits)
                {
                    chosen.Add(candidate);
                    if (chosen.Count == count)
                    {
                        return chosen;
                    }
                }
            }

            throw new InvalidOperationException($"the model in {modelDir} recognized only {chosen.Count} of {all.Count} held-out digit strings offline; {count} were needed");
        }
        finally
        {
            recognizer.Dispose();
        }
    }
}
