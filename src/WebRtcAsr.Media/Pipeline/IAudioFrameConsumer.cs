namespace WebRtcAsr.Media.Pipeline;

/// <summary>
/// Receives the 16 kHz audio of an <see cref="AudioPipeline"/>: the seam where VAD and the
/// recognizer stream attach. Called on the pipeline owner's worker, in stream order.
/// </summary>
public interface IAudioFrameConsumer
{
    void OnAudio(in AudioFrame frame);
}
