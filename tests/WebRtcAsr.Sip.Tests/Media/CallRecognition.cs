using WebRtcAsr.Speech.Onnx;
using WebRtcAsr.Speech.Recognition;
using WebRtcAsr.Speech.Transducer;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Sip.Tests.Media;

/// <summary>
/// Runs a call's 16 kHz audio, as the consumer received it, through the project's default digit model the way
/// the server does (20 ms chunks, endpoints and all). One recognizer for the test run, used by one test at a time.
/// </summary>
internal static class CallRecognition
{
    public const string ModelName = "digits-en-lstm";
    private static readonly Lazy<OnlineRecognizer> Recognizer = new(() =>
        OnlineRecognizer.Load(TransducerModelPaths.FromDirectory(RepoPaths.Model(ModelName)), sessionOptions: new OnnxSessionOptions()));
    private static readonly Lock Gate = new();

    /// <summary>The digits heard in <paramref name="samples"/> (16 kHz).</summary>
    public static DigitRecognitionResult Hear(ReadOnlySpan<float> samples, string said)
    {
        var audio = new DigitString("call", said, samples.ToArray(), 16_000, []);
        lock (Gate)
        {
            return DigitRecognition.Run(Recognizer.Value, audio, chunkSamples: 320);
        }
    }
}
