using System.Diagnostics;
using WebRtcAsr.Speech.Recognition;

namespace WebRtcAsr.TestSupport;

/// <summary>What the recognizer made of one digit string.</summary>
/// <param name="Digits">Digits recognized over all segments, in order.</param>
/// <param name="Transcript">The segments' final transcripts joined.</param>
/// <param name="FirstSeen">
/// For each digit said (by position), the stream time (seconds of audio decoded) at which a partial result
/// first held at least that many digits; null when it never did.
/// </param>
/// <param name="ProcessingSeconds">Time spent feeding and decoding.</param>
public sealed record DigitRecognitionResult(string Digits, string Transcript, IReadOnlyList<double?> FirstSeen, double ProcessingSeconds);

/// <summary>Runs digit strings through a recognizer stream the way the server does: chunk by chunk, endpoints and all.</summary>
public static class DigitRecognition
{
    /// <summary>Recognizes one 16 kHz string fed in chunks of <paramref name="chunkSamples"/>.</summary>
    public static DigitRecognitionResult Run(OnlineRecognizer recognizer, DigitString audio, int chunkSamples)
    {
        ArgumentNullException.ThrowIfNull(recognizer);
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.SampleRate != 16000)
        {
            throw new ArgumentException("the recognizer takes 16 kHz audio", nameof(audio));
        }

        var clock = Stopwatch.StartNew();
        var stream = recognizer.CreateStream();
        var firstSeen = new double?[audio.Digits.Length];
        var finals = new List<string>();
        var decodedBefore = "";

        void Observe(string currentSegment)
        {
            var count = (decodedBefore + DigitErrorRate.DigitsOf(currentSegment)).Length;
            var now = (stream.SegmentStartFrame + stream.ProcessedFrames) / 100.0;
            for (var i = 0; i < Math.Min(count, firstSeen.Length); i++)
            {
                firstSeen[i] ??= now;
            }
        }

        for (var offset = 0; offset < audio.Samples.Length; offset += chunkSamples)
        {
            stream.AcceptWaveform(audio.Samples.AsSpan(offset, Math.Min(chunkSamples, audio.Samples.Length - offset)));
            while (recognizer.IsReady(stream))
            {
                recognizer.DecodeStream(stream);
                Observe(recognizer.GetResult(stream).Transcript);
            }

            if (recognizer.IsEndpoint(stream))
            {
                var segment = recognizer.GetResult(stream).Transcript;
                if (segment.Length > 0)
                {
                    finals.Add(segment);
                    decodedBefore += DigitErrorRate.DigitsOf(segment);
                }

                recognizer.Reset(stream);
            }
        }

        var last = recognizer.Finalize(stream).Transcript;
        if (last.Length > 0)
        {
            finals.Add(last);
            Observe(last);
        }

        var transcript = string.Join(' ', finals);
        return new DigitRecognitionResult(DigitErrorRate.DigitsOf(transcript), transcript, firstSeen, clock.Elapsed.TotalSeconds);
    }
}
