using WebRtcAsr.Speech.Vad;

namespace WebRtcAsr.Server.Sessions;

/// <summary>Forwards every sample; no speech events (VAD disabled).</summary>
public sealed class PassThroughGate : ISpeechGate, ISpeechGateFactory
{
    private long position;

    public bool DetectsSpeech => false;

    public bool IsOpen => true;

    public ISpeechGate Create() => new PassThroughGate();

    public void Process(ReadOnlySpan<float> samples, IVoiceActivitySink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (samples.IsEmpty)
        {
            return;
        }

        sink.OnGatedAudio(samples, position);
        position += samples.Length;
    }

    public void Finish(IVoiceActivitySink sink)
    {
    }

    public void Dispose()
    {
    }
}
