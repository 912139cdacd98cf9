namespace WebRtcAsr.Media.Jitter;

/// <summary>Limits and tuning of a <see cref="JitterBuffer"/>.</summary>
public sealed record JitterBufferOptions
{
    /// <summary>Most packets held at once (rounded up to a power of two). 64 × 20 ms = 1.28 s.</summary>
    public int Capacity { get; init; } = 64;

    /// <summary>Largest payload accepted, in bytes (RTP over UDP with a 1500-byte MTU).</summary>
    public int MaxPayloadBytes { get; init; } = 1500;

    /// <summary>
    /// Shortest wait for a missing packet past its on-time arrival. 40 ms lets a packet swapped
    /// with its successor (the common reordering) arrive in time even on a path that had shown
    /// no jitter yet; a recognizer gains more from complete audio than from those 40 ms.
    /// </summary>
    public long MinWaitMicros { get; init; } = 40_000;

    /// <summary>Longest wait for a missing packet; bounds the added latency.</summary>
    public long MaxWaitMicros { get; init; } = 250_000;

    /// <summary>
    /// Percentile of recent arrival delays the wait must cover (0-1). A playout buffer trades
    /// late loss against latency for every packet, around p95. Here in-order audio never waits;
    /// the wait only delays audio behind a missing packet, so covering the largest recent delay
    /// (1.0, the window's maximum) costs little and loses the fewest late packets.
    /// </summary>
    public double DelayPercentile { get; init; } = 1.0;

    /// <summary>
    /// Wait used while the delay window is still short (its first 32 packets): the first
    /// estimates come from a handful of packets and would make the opening reorderings late.
    /// </summary>
    public long InitialWaitMicros { get; init; } = 120_000;

    /// <summary>
    /// How long the first packet of a stream is held so that a reordered predecessor can still
    /// become the stream's start (and stream time its origin). Paid once per stream.
    /// </summary>
    public long StartupHoldMicros { get; init; } = 40_000;

    /// <summary>
    /// The wait is also at least this many times the RFC 3550 interarrival jitter (a mean of
    /// |delay difference|; twice it is near the 95th percentile for random delay), which reacts
    /// faster than the percentile window when jitter rises.
    /// </summary>
    public double JitterMultiplier { get; init; } = 2.0;

    /// <summary>Recent packets whose arrival delays form the percentile window (8-512).</summary>
    public int DelayWindow { get; init; } = 128;

    /// <summary>
    /// Longest gap, in packets, filled by FEC/PLC. Longer losses are skipped and flagged as a
    /// discontinuity: concealment of more than ~100 ms is noise to a recognizer, and stream time
    /// stays right through the timestamps.
    /// </summary>
    public int MaxConcealedPackets { get; init; } = 5;

    /// <summary>Packet duration assumed until the first packet has been decoded.</summary>
    public long DefaultPacketMicros { get; init; } = 20_000;
}
