using WebRtcAsr.Speech.Recognition;

namespace WebRtcAsr.Speech.Captions;

/// <summary>Turns the recognizer's results into caption Results messages.</summary>
public sealed class ResultsFactory(ModelInfo model, string requestId)
{
    /// <summary>Apply the numerals option to transcripts and displayed words.</summary>
    public bool Numerals { get; set; }

    /// <summary>
    /// A Results message for a segment: <paramref name="end"/> is the stream time (seconds) up to which audio was
    /// decoded, so the message covers [segment start, end].
    /// </summary>
    public ResultsMessage Create(RecognitionResult result, double end, bool isFinal, bool speechFinal, bool fromFinalize)
    {
        ArgumentNullException.ThrowIfNull(result);
        var words = new ResultWord[result.Words.Count];
        var confidence = 0.0;
        for (var i = 0; i < words.Length; i++)
        {
            var w = result.Words[i];
            words[i] = new ResultWord
            {
                Word = w.Word,
                Start = Math.Round(w.Start, 3),
                End = Math.Round(w.End, 3),
                Confidence = Math.Round(w.Confidence, 4),
                PunctuatedWord = Numerals && DigitNumerals.DigitOf(w.Word) is { } digit ? digit.ToString() : w.Word,
            };
            confidence += w.Confidence;
        }

        var transcript = result.Transcript;
        return new ResultsMessage
        {
            Start = Math.Round(result.SegmentStart, 3),
            Duration = Math.Round(Math.Max(0, end - result.SegmentStart), 3),
            IsFinal = isFinal,
            SpeechFinal = speechFinal,
            FromFinalize = fromFinalize,
            Channel = new ResultChannel
            {
                Alternatives =
                [
                    new ResultAlternative
                    {
                        Transcript = Numerals ? DigitNumerals.Apply(transcript) : transcript,
                        Confidence = words.Length == 0 ? 0 : Math.Round(confidence / words.Length, 4),
                        Words = words,
                    },
                ],
            },
            Metadata = new ResultMetadata { RequestId = requestId, ModelInfo = model, ModelUuid = model.Name },
        };
    }
}
