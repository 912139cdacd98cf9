namespace WebRtcAsr.Speech.Vad;

/// <summary>
/// Receives what <see cref="VoiceActivityDetector"/> decides, synchronously and in stream order,
/// from within <see cref="VoiceActivityDetector.Process"/> and <see cref="VoiceActivityDetector.Finish"/>.
/// The session's worker implements it: gated audio to the recognizer stream, events to the captions.
/// </summary>
public interface IVoiceActivitySink
{
    /// <summary>Speech started at <paramref name="start"/> (Deepgram's SpeechStarted). Gated audio from before it follows.</summary>
    void OnSpeechStarted(SpeechBoundary start);

    /// <summary>Speech ended at <paramref name="end"/>. Gated audio may still follow (the hangover).</summary>
    void OnSpeechEnded(SpeechBoundary end);

    /// <summary>
    /// Audio for the recognizer: <paramref name="samples"/> are the stream's samples from position
    /// <paramref name="streamSample"/> on. Successive calls are in order; a call whose position is
    /// beyond the previous call's end follows a gap (silence that was not forwarded). The span is
    /// valid only during the call.
    /// </summary>
    void OnGatedAudio(ReadOnlySpan<float> samples, long streamSample);

    /// <summary>Every window's speech probability (for metrics and tuning); does nothing unless implemented.</summary>
    void OnProbability(long windowStartSample, float probability)
    {
    }
}
