using System.Buffers;

namespace WebRtcAsr.Rtc.Sctp;

/// <summary>One received DATA fragment waiting for reassembly; its bytes are rented from the pool.</summary>
internal struct InboundFragment
{
    public uint Tsn;
    public ushort Ssn;
    public uint Ppid;
    public bool Beginning;
    public bool Ending;
    public byte[] Buffer;
    public int Length;
}

/// <summary>
/// Reassembly for one incoming stream: fragments sorted by TSN, ordered messages released in SSN
/// order (RFC 9260 §6.5, §6.9), unordered ones as soon as they are whole.
/// </summary>
internal sealed class InboundStream
{
    private readonly List<InboundFragment> _ordered = [];
    private readonly List<InboundFragment> _unordered = [];

    public ushort NextSsn { get; private set; }

    public bool IsEmpty => _ordered.Count == 0 && _unordered.Count == 0;

    /// <summary>A single-chunk message that may be delivered now is copied straight out.</summary>
    public bool TryTakeWhole(in DataChunk chunk, out byte[] message)
    {
        message = [];
        if (!chunk.Beginning || !chunk.Ending)
        {
            return false;
        }

        if (!chunk.Unordered)
        {
            if (chunk.Ssn != NextSsn)
            {
                return false;
            }

            NextSsn++;
        }

        message = chunk.UserData.ToArray();
        return true;
    }

    public void Insert(in DataChunk chunk)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(chunk.UserData.Length);
        chunk.UserData.CopyTo(buffer);
        var fragment = new InboundFragment
        {
            Tsn = chunk.Tsn,
            Ssn = chunk.Ssn,
            Ppid = chunk.Ppid,
            Beginning = chunk.Beginning,
            Ending = chunk.Ending,
            Buffer = buffer,
            Length = chunk.UserData.Length,
        };
        var list = chunk.Unordered ? _unordered : _ordered;
        int at = list.Count;
        while (at > 0 && SerialNumber.Greater(list[at - 1].Tsn, fragment.Tsn))
        {
            at--;
        }

        list.Insert(at, fragment);
    }

    /// <summary>Result of a delivery attempt.</summary>
    public enum Delivery
    {
        None,
        Message,
        TooLarge,
    }

    /// <summary>Takes out the next whole message if there is one; freed bytes are reported for the window.</summary>
    public Delivery TryTake(int maxMessageSize, out byte[] message, out uint ppid, out int freedBytes)
    {
        var result = TryTakeUnordered(maxMessageSize, out message, out ppid, out freedBytes);
        return result != Delivery.None ? result : TryTakeOrdered(maxMessageSize, out message, out ppid, out freedBytes);
    }

    private Delivery TryTakeOrdered(int maxMessageSize, out byte[] message, out uint ppid, out int freedBytes)
    {
        message = [];
        ppid = 0;
        freedBytes = 0;

        // Fragments of messages skipped by FORWARD-TSN are stale.
        while (_ordered.Count > 0 && SerialNumber.Less16(_ordered[0].Ssn, NextSsn))
        {
            freedBytes += Release(_ordered, 0);
        }

        if (_ordered.Count == 0 || _ordered[0].Ssn != NextSsn || !_ordered[0].Beginning)
        {
            return Delivery.None;
        }

        var found = FindWhole(_ordered, 0, maxMessageSize, out int last, out int total);
        if (found != Delivery.Message)
        {
            return found;
        }

        message = Assemble(_ordered, 0, last, total, out ppid, ref freedBytes);
        NextSsn++;
        return Delivery.Message;
    }

    private Delivery TryTakeUnordered(int maxMessageSize, out byte[] message, out uint ppid, out int freedBytes)
    {
        message = [];
        ppid = 0;
        freedBytes = 0;
        for (int i = 0; i < _unordered.Count; i++)
        {
            if (!_unordered[i].Beginning)
            {
                continue;
            }

            var found = FindWhole(_unordered, i, maxMessageSize, out int last, out int total);
            if (found == Delivery.TooLarge)
            {
                return found;
            }

            if (found == Delivery.Message)
            {
                message = Assemble(_unordered, i, last, total, out ppid, ref freedBytes);
                return Delivery.Message;
            }
        }

        return Delivery.None;
    }

    // From a B fragment, walks consecutive TSNs to the E fragment.
    private static Delivery FindWhole(List<InboundFragment> list, int first, int maxMessageSize, out int last, out int total)
    {
        total = list[first].Length;
        last = first;
        while (!list[last].Ending)
        {
            if (last + 1 >= list.Count || list[last + 1].Tsn != list[last].Tsn + 1 || list[last + 1].Beginning)
            {
                return total > maxMessageSize ? Delivery.TooLarge : Delivery.None;
            }

            last++;
            total += list[last].Length;
        }

        return total > maxMessageSize ? Delivery.TooLarge : Delivery.Message;
    }

    private static byte[] Assemble(List<InboundFragment> list, int first, int last, int total, out uint ppid, ref int freedBytes)
    {
        var message = new byte[total];
        int offset = 0;
        ppid = list[first].Ppid;
        for (int i = first; i <= last; i++)
        {
            var fragment = list[i];
            fragment.Buffer.AsSpan(0, fragment.Length).CopyTo(message.AsSpan(offset));
            offset += fragment.Length;
            freedBytes += fragment.Length;
            ArrayPool<byte>.Shared.Return(fragment.Buffer);
        }

        list.RemoveRange(first, last - first + 1);
        return message;
    }

    /// <summary>FORWARD-TSN: ordered messages up to <paramref name="ssn"/> will never come.</summary>
    public int SkipOrderedThrough(ushort ssn)
    {
        if (SerialNumber.LessOrEqual16(NextSsn, ssn))
        {
            NextSsn = (ushort)(ssn + 1);
        }

        int freed = 0;
        for (int i = _ordered.Count - 1; i >= 0; i--)
        {
            if (SerialNumber.Less16(_ordered[i].Ssn, NextSsn))
            {
                freed += Release(_ordered, i);
            }
        }

        return freed;
    }

    /// <summary>FORWARD-TSN: unordered fragments at or below the new cumulative TSN belong to abandoned messages.</summary>
    public int DropUnorderedThrough(uint tsn)
    {
        int freed = 0;
        for (int i = _unordered.Count - 1; i >= 0; i--)
        {
            if (SerialNumber.LessOrEqual(_unordered[i].Tsn, tsn))
            {
                freed += Release(_unordered, i);
            }
        }

        return freed;
    }

    /// <summary>Stream reset (RFC 6525): next expected SSN is 0 again; returns bytes freed.</summary>
    public int Reset()
    {
        NextSsn = 0;
        return Clear();
    }

    public int Clear()
    {
        int freed = 0;
        while (_ordered.Count > 0)
        {
            freed += Release(_ordered, _ordered.Count - 1);
        }

        while (_unordered.Count > 0)
        {
            freed += Release(_unordered, _unordered.Count - 1);
        }

        return freed;
    }

    private static int Release(List<InboundFragment> list, int index)
    {
        var fragment = list[index];
        ArrayPool<byte>.Shared.Return(fragment.Buffer);
        list.RemoveAt(index);
        return fragment.Length;
    }
}
