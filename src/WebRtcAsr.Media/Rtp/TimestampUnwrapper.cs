namespace WebRtcAsr.Media.Rtp;

/// <summary>
/// Extends 32-bit RTP timestamps to 64 bits around the last value seen (the 2^32 wrap happens
/// every ~24.9 hours at 48 kHz and every ~6.2 days at 8 kHz, and streams may start near it).
/// </summary>
public struct TimestampUnwrapper
{
    private long _last;
    private bool _started;

    /// <summary>The extended value; the reference point moves forward only.</summary>
    public long Unwrap(uint timestamp)
    {
        long value = Peek(timestamp);
        if (!_started || value > _last)
        {
            _last = value;
            _started = true;
        }

        return value;
    }

    /// <summary>The extended value without moving the reference point.</summary>
    public readonly long Peek(uint timestamp)
    {
        if (!_started)
        {
            return (1L << 32) + timestamp;
        }

        int delta = (int)(timestamp - (uint)_last);
        return _last + delta;
    }

    /// <summary>Forgets the reference point (new stream).</summary>
    public void Reset() => this = default;
}
