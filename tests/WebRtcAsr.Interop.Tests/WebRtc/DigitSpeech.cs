using WebRtcAsr.Speech.Models;
using WebRtcAsr.Speech.Onnx;
using WebRtcAsr.Speech.Recognition;
using WebRtcAsr.Speech.Transducer;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Interop.Tests.WebRtc;

/// <summary>
/// The digit model and the held-out FSDD digit strings the browser tests speak: chosen once per test run, in a fixed
/// order, among those the model recognizes exactly offline (<see cref="RecognizableDigitStrings"/>), so the tests
/// check the pipeline and stay valid when the model is retrained. Distinct strings, so a transcript that reached
/// the wrong session shows.
/// </summary>
internal static class DigitSpeech
{
    /// <summary>How many strings the tests use at most.</summary>
    public const int Count = 15;

    private static readonly Lazy<IReadOnlyList<DigitString>> LazyStrings = new(Choose);

    public static string ModelDir => RepoPaths.Model("digits-en-lstm");

    /// <summary><see cref="Count"/> strings (3–5 digits, speakers in turn) the model gets exactly right offline.</summary>
    public static IReadOnlyList<DigitString> Strings => LazyStrings.Value;

    private static IReadOnlyList<DigitString> Choose()
    {
        var candidates = SpokenDigitStrings.Compose(Fsdd.Recordings(RepoPaths.FsddRecordings()), r => r.IsTest, count: 60, seed: 6)
            .DistinctBy(s => s.Digits);
        using var model = TransducerModel.Load(TransducerModelPaths.FromDirectory(ModelDir), new OnnxSessionOptions { IntraOpThreads = 1 });
        using var recognizer = new OnlineRecognizer(model);
        var chosen = RecognizableDigitStrings.Choose(recognizer, candidates, Count);
        return chosen.Count == Count
            ? chosen
            : throw new InvalidOperationException($"only {chosen.Count} of 60 candidate strings are recognized exactly offline; the model is too weak for these tests");
    }
}
