namespace WebRtcAsr.Media.Rtp;

/// <summary>
/// Extends 16-bit RTP sequence numbers to 64 bits: each value is placed at the extended number
/// nearest to the last one seen, so reordered packets across the 65535 → 0 wrap land on the
/// right side. Used by the jitter buffer, which needs an extended number for every packet
/// (RFC 3550 A.1 only tracks the extended maximum).
/// </summary>
public struct SequenceNumberUnwrapper
{
    private WrappingCounterUnwrapper _counter;

    /// <summary>The extended number of <paramref name="sequenceNumber"/>; updates the reference point when newer.</summary>
    public long Unwrap(ushort sequenceNumber) => _counter.Unwrap(sequenceNumber, 16);

    /// <summary>The extended number without moving the reference point.</summary>
    public readonly long Peek(ushort sequenceNumber) => _counter.Peek(sequenceNumber, 16);

    /// <summary>Forgets the reference point (new stream).</summary>
    public void Reset() => this = default;
}
