using System.Buffers.Binary;
using System.Text;

namespace WebRtcAsr.Rtc.DataChannels;

/// <summary>DCEP channel types (RFC 8832 §5.1): reliability and ordering of a channel.</summary>
public enum DataChannelType : byte
{
    Reliable = 0x00,
    PartialReliableRexmit = 0x01,
    PartialReliableTimed = 0x02,
    ReliableUnordered = 0x80,
    PartialReliableRexmitUnordered = 0x81,
    PartialReliableTimedUnordered = 0x82,
}

/// <summary>A DATA_CHANNEL_OPEN message (RFC 8832 §5.1).</summary>
public sealed record DataChannelOpen(DataChannelType ChannelType, ushort Priority, uint ReliabilityParameter, string Label, string Protocol)
{
    public const byte MessageType = 0x03;
    public const byte AckMessageType = 0x02;
    private const int FixedLength = 12;

    public bool Ordered => ((byte)ChannelType & 0x80) == 0;

    /// <summary>Retransmission limit for the "Rexmit" types, else null.</summary>
    public int? MaxRetransmits => ((byte)ChannelType & 0x7F) == 0x01 ? (int)Math.Min(ReliabilityParameter, int.MaxValue) : null;

    /// <summary>Lifetime in milliseconds for the "Timed" types, else null.</summary>
    public int? MaxPacketLifeTimeMs => ((byte)ChannelType & 0x7F) == 0x02 ? (int)Math.Min(ReliabilityParameter, int.MaxValue) : null;

    public static DataChannelType TypeFor(bool ordered, int? maxRetransmits, int? maxPacketLifeTimeMs)
    {
        byte type = maxRetransmits is not null ? (byte)0x01 : maxPacketLifeTimeMs is not null ? (byte)0x02 : (byte)0x00;
        return (DataChannelType)(type | (ordered ? 0 : 0x80));
    }

    public int Length => FixedLength + Encoding.UTF8.GetByteCount(Label) + Encoding.UTF8.GetByteCount(Protocol);

    public int Write(Span<byte> destination)
    {
        destination[0] = MessageType;
        destination[1] = (byte)ChannelType;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Priority);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ReliabilityParameter);
        int labelLength = Encoding.UTF8.GetBytes(Label, destination[FixedLength..]);
        int protocolLength = Encoding.UTF8.GetBytes(Protocol, destination[(FixedLength + labelLength)..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], (ushort)labelLength);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], (ushort)protocolLength);
        return FixedLength + labelLength + protocolLength;
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        Write(bytes);
        return bytes;
    }

    /// <summary>Parses an OPEN; rejects unknown channel types, lying lengths and invalid UTF-8.</summary>
    public static bool TryParse(ReadOnlySpan<byte> message, out DataChannelOpen? open, out string? error)
    {
        open = null;
        if (message.Length < FixedLength || message[0] != MessageType)
        {
            error = "not a DATA_CHANNEL_OPEN";
            return false;
        }

        var type = (DataChannelType)message[1];
        if (!Enum.IsDefined(type))
        {
            error = $"unknown channel type 0x{message[1]:x2}";
            return false;
        }

        int labelLength = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        int protocolLength = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        if (FixedLength + labelLength + protocolLength != message.Length)
        {
            error = "label and protocol lengths do not match the message";
            return false;
        }

        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        string label, protocol;
        try
        {
            label = strict.GetString(message.Slice(FixedLength, labelLength));
            protocol = strict.GetString(message.Slice(FixedLength + labelLength, protocolLength));
        }
        catch (DecoderFallbackException)
        {
            error = "label or protocol is not UTF-8";
            return false;
        }

        open = new DataChannelOpen(type, BinaryPrimitives.ReadUInt16BigEndian(message[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(message[4..]), label, protocol);
        error = null;
        return true;
    }
}
