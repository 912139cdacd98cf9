namespace WebRtcAsr.Media.Rtp;

/// <summary>
/// Extends a counter that wraps at 2^bits (RTP's 16-bit sequence numbers, 32-bit timestamps) to 64 bits: each
/// value is placed at the extended value nearest to the last one seen (a difference of exactly half the range
/// counts as backwards), so reordered values across the wrap land on the right side. The width is passed on
/// each call rather than stored, so that a default (zeroed) field of a wrapper is ready to use.
/// </summary>
internal struct WrappingCounterUnwrapper
{
    private long _last;
    private bool _started;

    /// <summary>The extended value of <paramref name="value"/>; the reference point moves forward only.</summary>
    public long Unwrap(uint value, int bits)
    {
        long extended = Peek(value, bits);
        if (!_started || extended > _last)
        {
            _last = extended;
            _started = true;
        }

        return extended;
    }

    /// <summary>The extended value without moving the reference point.</summary>
    public readonly long Peek(uint value, int bits)
    {
        long range = 1L << bits;
        if (!_started)
        {
            // Start one whole range up, so that a reordered predecessor never goes negative.
            return range + value;
        }

        // The difference modulo the range, read as a signed number of that width.
        long delta = (value - _last) & (range - 1);
        if (delta >= range >> 1)
        {
            delta -= range;
        }

        return _last + delta;
    }
}
