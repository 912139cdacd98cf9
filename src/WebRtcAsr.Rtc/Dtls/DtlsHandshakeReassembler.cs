using System.Collections;

namespace WebRtcAsr.Rtc.Dtls;

/// <summary>What became of one received handshake fragment.</summary>
internal enum DtlsFragmentDisposition
{
    /// <summary>Stored (or a duplicate of bytes already stored) for a message not yet delivered.</summary>
    Accepted,

    /// <summary>Belongs to a message already delivered: the peer is retransmitting.</summary>
    Old,

    /// <summary>Too far ahead, too large, or inconsistent with earlier fragments; dropped.</summary>
    Dropped,
}

/// <summary>
/// Reassembles fragmented handshake messages and releases them strictly in message_seq order
/// (RFC 6347 4.2.2). Holds at most <see cref="Window"/> messages ahead of the next expected one,
/// each at most <see cref="MaxMessageLength"/> bytes, so a peer cannot make it grow.
/// </summary>
internal sealed class DtlsHandshakeReassembler
{
    public const int Window = 8;
    public const int MaxMessageLength = 16 * 1024;

    private readonly Pending?[] _slots = new Pending?[Window];

    /// <summary>The message_seq of the next message to be delivered.</summary>
    public int NextSeq { get; private set; }

    public DtlsFragmentDisposition Add(in DtlsHandshakeHeader header, ReadOnlySpan<byte> fragment, ushort epoch)
    {
        if (header.MessageSeq < NextSeq)
        {
            return DtlsFragmentDisposition.Old;
        }
        if (header.MessageSeq >= NextSeq + Window || header.Length > MaxMessageLength || fragment.Length != header.FragmentLength)
        {
            return DtlsFragmentDisposition.Dropped;
        }
        int slot = header.MessageSeq % Window;
        var pending = _slots[slot];
        if (pending is null)
        {
            pending = new Pending(header.Type, header.MessageSeq, header.Length, epoch);
            _slots[slot] = pending;
        }
        else if (pending.Type != header.Type || pending.Body.Length != header.Length || pending.Epoch != epoch)
        {
            return DtlsFragmentDisposition.Dropped;
        }
        fragment.CopyTo(pending.Body.AsSpan(header.FragmentOffset));
        for (int i = header.FragmentOffset; i < header.FragmentOffset + header.FragmentLength; i++)
        {
            if (!pending.Covered[i])
            {
                pending.Covered[i] = true;
                pending.Missing--;
            }
        }
        return DtlsFragmentDisposition.Accepted;
    }

    /// <summary>Takes the next in-order message once all its bytes are present.</summary>
    public bool TryTakeNext(out DtlsHandshakeMessage? message)
    {
        int slot = NextSeq % Window;
        var pending = _slots[slot];
        if (pending is null || pending.Seq != NextSeq || pending.Missing != 0)
        {
            message = null;
            return false;
        }
        _slots[slot] = null;
        NextSeq++;
        message = new DtlsHandshakeMessage(pending.Type, pending.Seq, pending.Epoch, pending.Body);
        return true;
    }

    /// <summary>Forgets partial messages (after a handshake restarts at a HelloVerifyRequest, say).</summary>
    public void Clear() => Array.Clear(_slots);

    private sealed class Pending(DtlsHandshakeType type, int seq, int length, ushort epoch)
    {
        public DtlsHandshakeType Type { get; } = type;
        public int Seq { get; } = seq;
        public ushort Epoch { get; } = epoch;
        public byte[] Body { get; } = new byte[length];
        public BitArray Covered { get; } = new(length);
        public int Missing { get; set; } = length;
    }
}
