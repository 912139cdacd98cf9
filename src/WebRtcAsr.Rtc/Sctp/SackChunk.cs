using System.Buffers.Binary;

namespace WebRtcAsr.Rtc.Sctp;

/// <summary>A SACK chunk (RFC 9260 §3.3.4): cumulative TSN ack, window, gap ack blocks, duplicate TSNs.</summary>
public readonly ref struct SackChunk
{
    private readonly ReadOnlySpan<byte> _value;

    private SackChunk(ReadOnlySpan<byte> value)
    {
        _value = value;
        CumulativeTsnAck = BinaryPrimitives.ReadUInt32BigEndian(value);
        AdvertisedReceiverWindow = BinaryPrimitives.ReadUInt32BigEndian(value[4..]);
        GapBlockCount = BinaryPrimitives.ReadUInt16BigEndian(value[8..]);
        DuplicateCount = BinaryPrimitives.ReadUInt16BigEndian(value[10..]);
    }

    public uint CumulativeTsnAck { get; }

    public uint AdvertisedReceiverWindow { get; }

    public int GapBlockCount { get; }

    public int DuplicateCount { get; }

    /// <summary>Gap block i as offsets from the cumulative TSN ack (start ≤ end expected).</summary>
    public (ushort Start, ushort End) GapBlock(int i)
    {
        var at = _value[(12 + (4 * i))..];
        return (BinaryPrimitives.ReadUInt16BigEndian(at), BinaryPrimitives.ReadUInt16BigEndian(at[2..]));
    }

    public uint DuplicateTsn(int i) => BinaryPrimitives.ReadUInt32BigEndian(_value[(12 + (4 * GapBlockCount) + (4 * i))..]);

    public static bool TryParse(ReadOnlySpan<byte> value, out SackChunk sack, out string? error)
    {
        sack = default;
        if (value.Length < 12)
        {
            error = "SACK shorter than its fixed fields";
            return false;
        }

        var candidate = new SackChunk(value);
        if (value.Length < 12 + (4 * (candidate.GapBlockCount + candidate.DuplicateCount)))
        {
            error = "SACK block counts exceed its length";
            return false;
        }

        sack = candidate;
        error = null;
        return true;
    }
}
