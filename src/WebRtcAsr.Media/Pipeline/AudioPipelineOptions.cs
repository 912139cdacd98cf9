using WebRtcAsr.Media.Jitter;

namespace WebRtcAsr.Media.Pipeline;

/// <summary>Settings of an <see cref="AudioPipeline"/>.</summary>
public sealed record AudioPipelineOptions
{
    /// <summary>Output sample rate (the recognizer's 16 kHz).</summary>
    public int OutputRate { get; init; } = 16_000;

    public JitterBufferOptions JitterBuffer { get; init; } = new();
}
