namespace WebRtcAsr.Speech.Vad;

/// <summary>
/// Where speech started or ended, in samples of the stream (16 kHz, 0 = the stream's first sample),
/// and the stream position at which the detector decided it (later: it needs evidence first).
/// </summary>
public readonly record struct SpeechBoundary(long StreamSample, long DecidedAtSample)
{
    /// <summary>The boundary as time since the stream began.</summary>
    public TimeSpan StreamTime => VadTime.ToTime(StreamSample);

    /// <summary>How long after the boundary the decision came.</summary>
    public TimeSpan DecisionDelay => VadTime.ToTime(DecidedAtSample - StreamSample);
}
