namespace WebRtcAsr.Rtc.Dtls;

/// <summary>
/// Anti-replay sliding window over 48-bit record sequence numbers (RFC 6347 4.1.2.6), 64 wide.
/// <see cref="IsFresh"/> is checked before decryption, <see cref="Accept"/> only after the record
/// authenticated, so forged records cannot move the window.
/// </summary>
internal struct DtlsReplayWindow
{
    private const int Width = 64;
    private long _highest;
    private ulong _bitmap; // bit i set: _highest - i was seen
    private bool _any;

    public readonly bool IsFresh(long sequence)
    {
        if (!_any || sequence > _highest)
        {
            return true;
        }
        long age = _highest - sequence;
        return age < Width && (_bitmap & (1UL << (int)age)) == 0;
    }

    public void Accept(long sequence)
    {
        if (!_any)
        {
            _any = true;
            _highest = sequence;
            _bitmap = 1;
            return;
        }
        if (sequence > _highest)
        {
            long shift = sequence - _highest;
            _bitmap = shift >= Width ? 1UL : (_bitmap << (int)shift) | 1UL;
            _highest = sequence;
            return;
        }
        long age = _highest - sequence;
        if (age < Width)
        {
            _bitmap |= 1UL << (int)age;
        }
    }
}
