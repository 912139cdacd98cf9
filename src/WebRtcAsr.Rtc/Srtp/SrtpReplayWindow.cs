namespace WebRtcAsr.Rtc.Srtp;

/// <summary>
/// Sliding replay window over packet indices (RFC 3711 3.3.2): remembers which of the last
/// <see cref="Size"/> indices below the highest seen were received. Check before authentication,
/// accept only after it succeeded, so forged packets cannot move the window.
/// </summary>
public sealed class SrtpReplayWindow
{
    private readonly ulong[] _bits;
    private ulong _highest;
    private bool _any;

    /// <param name="size">Window size in packets, a multiple of 64 from 64 to 32768.</param>
    public SrtpReplayWindow(int size = 64)
    {
        if (size < 64 || size > 32768 || size % 64 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), "replay window size must be a multiple of 64 in 64..32768");
        }

        Size = size;
        _bits = new ulong[size / 64];
    }

    public int Size { get; }

    public ulong Highest => _highest;

    /// <summary>Whether <paramref name="index"/> may be accepted (new, and not too old).</summary>
    public bool Check(ulong index)
    {
        if (!_any || index > _highest)
        {
            return true;
        }

        ulong delta = _highest - index;
        return delta < (ulong)Size && !Get(index);
    }

    public void Accept(ulong index)
    {
        if (!_any)
        {
            _any = true;
            _highest = index;
            Array.Clear(_bits);
        }
        else if (index > _highest)
        {
            ulong advance = index - _highest;
            if (advance >= (ulong)Size)
            {
                Array.Clear(_bits);
            }
            else
            {
                for (ulong i = _highest + 1; i <= index; i++)
                {
                    Clear(i);
                }
            }

            _highest = index;
        }

        Set(index);
    }

    private bool Get(ulong index)
    {
        int bit = (int)(index % (ulong)Size);
        return (_bits[bit >> 6] & (1ul << (bit & 63))) != 0;
    }

    private void Set(ulong index)
    {
        int bit = (int)(index % (ulong)Size);
        _bits[bit >> 6] |= 1ul << (bit & 63);
    }

    private void Clear(ulong index)
    {
        int bit = (int)(index % (ulong)Size);
        _bits[bit >> 6] &= ~(1ul << (bit & 63));
    }
}
