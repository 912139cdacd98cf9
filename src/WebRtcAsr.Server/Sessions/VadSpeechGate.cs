using WebRtcAsr.Speech.Vad;

namespace WebRtcAsr.Server.Sessions;

/// <summary>The Silero VAD gate (<see cref="VoiceActivityDetector"/>) as a session's <see cref="ISpeechGate"/>.</summary>
public sealed class VadSpeechGate(VoiceActivityDetector detector) : ISpeechGate
{
    public bool DetectsSpeech => true;

    public bool IsOpen => detector.IsGateOpen;

    public void Process(ReadOnlySpan<float> samples, IVoiceActivitySink sink) => detector.Process(samples, sink);

    public void Finish(IVoiceActivitySink sink) => detector.Finish(sink);

    public void Dispose() => detector.Dispose();
}

/// <summary>Makes VAD gates over one shared Silero model (owned by this factory).</summary>
public sealed class VadSpeechGateFactory(SileroVadModel model, VadOptions? options = null) : ISpeechGateFactory, IDisposable
{
    public ISpeechGate Create() => new VadSpeechGate(new VoiceActivityDetector(model, options));

    public void Dispose() => model.Dispose();
}
