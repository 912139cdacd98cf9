namespace WebRtcAsr.Media.Jitter;

/// <summary>Counters of a <see cref="JitterBuffer"/>; read them between calls, on the owning worker.</summary>
public sealed class JitterBufferStatistics
{
    /// <summary>Packets accepted into the buffer.</summary>
    public long Received { get; internal set; }

    /// <summary>Packets decoded and released.</summary>
    public long Decoded { get; internal set; }

    public long Duplicates { get; internal set; }

    /// <summary>Packets that only took their sequence number (telephone-event, comfort noise).</summary>
    public long WithoutAudio { get; internal set; }

    /// <summary>Packets that arrived after their slot was concealed or skipped.</summary>
    public long Late { get; internal set; }

    /// <summary>Sequence numbers never received in time (concealed or skipped).</summary>
    public long Lost { get; internal set; }

    public long ConcealedByFec { get; internal set; }

    public long ConcealedByPlc { get; internal set; }

    /// <summary>Lost packets not concealed (gap longer than <see cref="JitterBufferOptions.MaxConcealedPackets"/>, overflow, flush).</summary>
    public long Skipped { get; internal set; }

    /// <summary>Payloads the decoder rejected (concealed in their place).</summary>
    public long DecodeErrors { get; internal set; }

    public long TooLarge { get; internal set; }

    /// <summary>Times a packet too far ahead forced release of what was held.</summary>
    public long Overflows { get; internal set; }

    public long SsrcChanges { get; internal set; }

    /// <summary>Confirmed sequence restarts within one SSRC.</summary>
    public long Restarts { get; internal set; }

    /// <summary>Packets dropped as unconfirmed sequence jumps.</summary>
    public long SequenceJumps { get; internal set; }

    /// <summary>Timestamp jumps without a sequence gap (DTX pauses), not counted as loss.</summary>
    public long DtxGaps { get; internal set; }

    /// <summary>Packets held now.</summary>
    public int Held { get; internal set; }

    /// <summary>Most packets ever held at once.</summary>
    public int MaxHeld { get; internal set; }

    /// <summary>Current wait for a missing packet, from the delay percentile and the jitter.</summary>
    public long CurrentWaitMicros => Delays?.WaitMicros ?? 0;

    /// <summary>The delay percentile of recent packets relative to the fastest (µs).</summary>
    public long DelayPercentileMicros => Delays?.DelayPercentileMicros ?? 0;

    /// <summary>RFC 3550 A.8 interarrival jitter, in microseconds.</summary>
    public double JitterMicros => Delays?.JitterMicros ?? 0;

    internal ArrivalDelayEstimator? Delays { get; set; }
}
