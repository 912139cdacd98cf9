namespace WebRtcAsr.Rtc.Sctp;

/// <summary>
/// Which peer TSNs we hold: the cumulative point plus a bitmap of the 64 Ki TSNs above it, enough
/// for gap ack blocks (16-bit offsets) and duplicate detection without per-chunk allocation.
/// </summary>
internal sealed class ReceivedTsnTracker
{
    public const int Window = 65536;
    private const int MaxDuplicates = 16;
    private readonly ulong[] _bits = new ulong[Window / 64];
    private readonly uint[] _duplicates = new uint[MaxDuplicates];

    /// <summary>Last TSN received with no gap before it.</summary>
    public uint Cumulative { get; private set; }

    /// <summary>Highest TSN received.</summary>
    public uint Highest { get; private set; }

    public bool HasGaps => Highest != Cumulative;

    public int DuplicateCount { get; private set; }

    public enum AddResult
    {
        New,
        Duplicate,
        OutOfWindow,
    }

    public void Reset(uint peerInitialTsn)
    {
        Array.Clear(_bits);
        Cumulative = Highest = peerInitialTsn - 1;
        DuplicateCount = 0;
    }

    /// <summary>True when the TSN is new and may be stored (used before buffering its payload).</summary>
    public AddResult Check(uint tsn)
    {
        if (SerialNumber.LessOrEqual(tsn, Cumulative) || IsSet(tsn))
        {
            return AddResult.Duplicate;
        }

        return tsn - Cumulative >= Window ? AddResult.OutOfWindow : AddResult.New;
    }

    public void RecordDuplicate(uint tsn)
    {
        if (DuplicateCount < MaxDuplicates)
        {
            _duplicates[DuplicateCount++] = tsn;
        }
    }

    /// <summary>Marks a TSN that <see cref="Check"/> said was new; returns true when the cumulative point moved.</summary>
    public bool Add(uint tsn)
    {
        Set(tsn, true);
        if (SerialNumber.Greater(tsn, Highest))
        {
            Highest = tsn;
        }

        return Advance();
    }

    /// <summary>Moves the cumulative point forward (FORWARD-TSN), forgetting what lies below it.</summary>
    public bool ForwardTo(uint newCumulative)
    {
        if (SerialNumber.LessOrEqual(newCumulative, Cumulative) || newCumulative - Cumulative >= 0x8000_0000)
        {
            return false;
        }

        if (newCumulative - Cumulative >= Window)
        {
            Array.Clear(_bits);
        }
        else
        {
            for (uint t = Cumulative + 1; t != newCumulative + 1; t++)
            {
                Set(t, false);
            }
        }

        Cumulative = newCumulative;
        if (SerialNumber.Greater(newCumulative, Highest))
        {
            Highest = newCumulative;
        }

        Advance();
        return true;
    }

    /// <summary>Fills gap ack blocks (start, end offsets from the cumulative point), at most blocks.Length/2.</summary>
    public int GapBlocks(Span<ushort> blocks)
    {
        int count = 0;
        uint end = Highest - Cumulative;
        uint offset = 1;
        while (offset <= end && (count * 2) + 1 < blocks.Length)
        {
            if (!IsSet(Cumulative + offset))
            {
                offset++;
                continue;
            }

            uint start = offset;
            while (offset + 1 <= end && IsSet(Cumulative + offset + 1))
            {
                offset++;
            }

            blocks[count * 2] = (ushort)start;
            blocks[(count * 2) + 1] = (ushort)offset;
            count++;
            offset++;
        }

        return count;
    }

    public ReadOnlySpan<uint> Duplicates => _duplicates.AsSpan(0, DuplicateCount);

    public void ClearDuplicates() => DuplicateCount = 0;

    private bool Advance()
    {
        bool moved = false;
        while (IsSet(Cumulative + 1))
        {
            Set(Cumulative + 1, false);
            Cumulative++;
            moved = true;
        }

        return moved;
    }

    private bool IsSet(uint tsn) => (_bits[(tsn & (Window - 1)) >> 6] & (1UL << (int)(tsn & 63))) != 0;

    private void Set(uint tsn, bool value)
    {
        ref ulong word = ref _bits[(tsn & (Window - 1)) >> 6];
        word = value ? word | (1UL << (int)(tsn & 63)) : word & ~(1UL << (int)(tsn & 63));
    }
}
