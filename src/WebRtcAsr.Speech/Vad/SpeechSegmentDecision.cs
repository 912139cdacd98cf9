namespace WebRtcAsr.Speech.Vad;

/// <summary>What one window changed in <see cref="SpeechSegmenter"/>: nothing, a start, or an end.</summary>
public enum SpeechSegmentDecision
{
    None,
    Started,
    Ended,
}
