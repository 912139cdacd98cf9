using System.Buffers.Binary;

namespace WebRtcAsr.Rtc.Sctp;

/// <summary>A FORWARD-TSN chunk (RFC 3758 §3.2): new cumulative TSN and the (stream, SSN) pairs skipped.</summary>
public readonly ref struct ForwardTsnChunk
{
    private readonly ReadOnlySpan<byte> _value;

    private ForwardTsnChunk(ReadOnlySpan<byte> value)
    {
        _value = value;
        NewCumulativeTsn = BinaryPrimitives.ReadUInt32BigEndian(value);
    }

    public uint NewCumulativeTsn { get; }

    public int StreamCount => (_value.Length - 4) / 4;

    public (ushort StreamId, ushort Ssn) Stream(int i)
    {
        var at = _value[(4 + (4 * i))..];
        return (BinaryPrimitives.ReadUInt16BigEndian(at), BinaryPrimitives.ReadUInt16BigEndian(at[2..]));
    }

    public static bool TryParse(ReadOnlySpan<byte> value, out ForwardTsnChunk chunk, out string? error)
    {
        chunk = default;
        if (value.Length < 4 || (value.Length & 3) != 0)
        {
            error = "FORWARD-TSN length is not 4 + 4n";
            return false;
        }

        chunk = new ForwardTsnChunk(value);
        error = null;
        return true;
    }
}
