using WebRtcAsr.Media.Jitter;

namespace WebRtcAsr.Media.Pipeline;

/// <summary>Settings of an <see cref="AudioPipeline"/>.</summary>
public sealed record AudioPipelineOptions
{
    /// <summary>Output sample rate (the recognizer's 16 kHz).</summary>
    public int OutputRate { get; init; } = 16_000;

    public JitterBufferOptions JitterBuffer { get; init; } = new();

    /// <summary>
    /// Largest forward jump of stream time accepted from RTP timestamps (DTX pauses, calls on
    /// hold). A bigger jump is a sender's timestamp reset, not a pause: stream time then just
    /// continues, so one bad timestamp cannot throw the timeline hours ahead.
    /// </summary>
    public TimeSpan MaxStreamGap { get; init; } = TimeSpan.FromMinutes(10);
}
