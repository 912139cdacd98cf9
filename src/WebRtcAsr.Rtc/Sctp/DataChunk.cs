using System.Buffers.Binary;

namespace WebRtcAsr.Rtc.Sctp;

/// <summary>A DATA chunk (RFC 9260 §3.3.1): one fragment of a user message.</summary>
public readonly ref struct DataChunk
{
    public const int HeaderLength = 16; // chunk header + TSN, stream, SSN, PPID
    public const byte FlagEnding = 0x01;
    public const byte FlagBeginning = 0x02;
    public const byte FlagUnordered = 0x04;
    public const byte FlagImmediate = 0x08;

    public uint Tsn { get; init; }

    public ushort StreamId { get; init; }

    public ushort Ssn { get; init; }

    public uint Ppid { get; init; }

    public bool Beginning { get; init; }

    public bool Ending { get; init; }

    public bool Unordered { get; init; }

    public bool Immediate { get; init; }

    public ReadOnlySpan<byte> UserData { get; init; }

    public static bool TryParse(byte flags, ReadOnlySpan<byte> value, out DataChunk data, out string? error)
    {
        data = default;
        if (value.Length < HeaderLength - 4)
        {
            error = "DATA shorter than its fixed fields";
            return false;
        }

        if (value.Length == HeaderLength - 4)
        {
            error = "DATA without user data";
            return false;
        }

        data = new DataChunk
        {
            Tsn = BinaryPrimitives.ReadUInt32BigEndian(value),
            StreamId = BinaryPrimitives.ReadUInt16BigEndian(value[4..]),
            Ssn = BinaryPrimitives.ReadUInt16BigEndian(value[6..]),
            Ppid = BinaryPrimitives.ReadUInt32BigEndian(value[8..]),
            Beginning = (flags & FlagBeginning) != 0,
            Ending = (flags & FlagEnding) != 0,
            Unordered = (flags & FlagUnordered) != 0,
            Immediate = (flags & FlagImmediate) != 0,
            UserData = value[12..],
        };
        error = null;
        return true;
    }

    public static void Write(ref SctpPacketWriter writer, uint tsn, ushort streamId, ushort ssn, uint ppid,
        bool beginning, bool ending, bool unordered, scoped ReadOnlySpan<byte> userData)
    {
        byte flags = (byte)((beginning ? FlagBeginning : 0) | (ending ? FlagEnding : 0) | (unordered ? FlagUnordered : 0));
        int start = writer.BeginChunk((byte)SctpChunkType.Data, flags);
        writer.WriteUInt32(tsn);
        writer.WriteUInt16(streamId);
        writer.WriteUInt16(ssn);
        writer.WriteUInt32(ppid);
        writer.WriteBytes(userData);
        writer.EndChunk(start);
    }
}
