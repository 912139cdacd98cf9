namespace WebRtcAsr.Media.Rtp;

/// <summary>
/// Extends 32-bit RTP timestamps to 64 bits around the last value seen (the 2^32 wrap happens
/// every ~24.9 hours at 48 kHz and every ~6.2 days at 8 kHz, and streams may start near it).
/// </summary>
public struct TimestampUnwrapper
{
    private WrappingCounterUnwrapper _counter;

    /// <summary>The extended value; the reference point moves forward only.</summary>
    public long Unwrap(uint timestamp) => _counter.Unwrap(timestamp, 32);

    /// <summary>The extended value without moving the reference point.</summary>
    public readonly long Peek(uint timestamp) => _counter.Peek(timestamp, 32);

    /// <summary>Forgets the reference point (new stream).</summary>
    public void Reset() => this = default;
}
