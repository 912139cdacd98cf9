namespace WebRtcAsr.Speech.Scheduling;

/// <summary>Limits of an <see cref="InferenceScheduler"/>.</summary>
public sealed record InferenceSchedulerOptions
{
    /// <summary>Streams that may wait for decoding; producers wait (asynchronously) when it is full.</summary>
    public int QueueCapacity { get; init; } = 256;

    /// <summary>Most streams decoded in one encoder call.</summary>
    public int MaxBatchSize { get; init; } = 16;

    /// <summary>Worker tasks draining the queue. Decoding itself is serialised by the recognizer; a second worker only overlaps collection of the next batch.</summary>
    public int Workers { get; init; } = 1;
}
