namespace WebRtcAsr.Speech.Recognition;

/// <summary>
/// The current hypothesis of a stream's segment (the utterance since the last endpoint). Text is the tokens
/// joined as sherpa-onnx joins them (with word-start spaces, so usually a leading space); Words carry stream times.
/// </summary>
public sealed record RecognitionResult(
    string Text,
    IReadOnlyList<RecognizedToken> Tokens,
    IReadOnlyList<RecognizedWord> Words,
    int Segment,
    double SegmentStart,
    bool IsFinal)
{
    /// <summary>Text without the leading and trailing spaces.</summary>
    public string Transcript => Text.Trim();
}
