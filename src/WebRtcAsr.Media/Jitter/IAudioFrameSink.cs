namespace WebRtcAsr.Media.Jitter;

/// <summary>Receives the audio a <see cref="JitterBuffer"/> releases, in stream order.</summary>
public interface IAudioFrameSink
{
    void OnFrame(in DecodedAudio frame);
}
