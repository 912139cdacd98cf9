using WebRtcAsr.Speech.Vad;

namespace WebRtcAsr.Server.Sessions;

/// <summary>
/// What stands between a session's audio and its recognizer stream: a VAD gate (speech plus pre-roll and
/// hangover) or a pass-through. Reports speech boundaries and forwarded audio to the sink during the call.
/// One per session, used by its worker only.
/// </summary>
public interface ISpeechGate : IDisposable
{
    /// <summary>Whether this gate reports speech boundaries (SpeechStarted/SpeechEnded).</summary>
    bool DetectsSpeech { get; }

    /// <summary>Whether audio is being forwarded now.</summary>
    bool IsOpen { get; }

    /// <summary>Takes the next samples of the stream (positions count every sample given, from 0).</summary>
    void Process(ReadOnlySpan<float> samples, IVoiceActivitySink sink);

    /// <summary>The stream ended: open speech ends.</summary>
    void Finish(IVoiceActivitySink sink);
}

/// <summary>Makes a session's gate.</summary>
public interface ISpeechGateFactory
{
    ISpeechGate Create();
}
