using System.Buffers.Binary;
using System.Text;

namespace WebRtcAsr.Rtc.PeerConnection;

/// <summary>
/// The Data Channel Establishment Protocol messages (RFC 8832 5): DATA_CHANNEL_OPEN and
/// DATA_CHANNEL_ACK, carried on the channel's own stream with PPID 50; and the PPIDs of user data (RFC 8831 8).
/// </summary>
public static class DataChannelEstablishment
{
    public const uint PpidControl = 50;
    public const uint PpidString = 51;
    public const uint PpidBinary = 53;
    public const uint PpidStringEmpty = 56;
    public const uint PpidBinaryEmpty = 57;

    public const byte MessageTypeAck = 0x02;
    public const byte MessageTypeOpen = 0x03;

    private const int OpenHeaderLength = 12;
    private const int MaxLabelLength = 1024;

    /// <summary>Writes a DATA_CHANNEL_OPEN into a new array (rare: once per channel).</summary>
    public static byte[] WriteOpen(string label, string protocol, DataChannelReliability reliability)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(protocol);
        int labelLength = Encoding.UTF8.GetByteCount(label);
        int protocolLength = Encoding.UTF8.GetByteCount(protocol);
        if (labelLength > MaxLabelLength || protocolLength > MaxLabelLength)
        {
            throw new ArgumentException("label and protocol must be at most 1024 bytes each");
        }

        var message = new byte[OpenHeaderLength + labelLength + protocolLength];
        message[0] = MessageTypeOpen;
        (byte type, uint parameter) = reliability switch
        {
            { MaxRetransmits: { } n } => ((byte)0x01, (uint)n),
            { MaxPacketLifeTimeMs: { } ms } => ((byte)0x02, (uint)ms),
            _ => ((byte)0x00, 0u),
        };
        message[1] = (byte)(type | (reliability.Ordered ? 0 : 0x80));
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), 256); // priority: "normal" (RFC 8831 6.4)
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), parameter);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(8), (ushort)labelLength);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(10), (ushort)protocolLength);
        Encoding.UTF8.GetBytes(label, message.AsSpan(OpenHeaderLength));
        Encoding.UTF8.GetBytes(protocol, message.AsSpan(OpenHeaderLength + labelLength));
        return message;
    }

    /// <summary>Parses a DATA_CHANNEL_OPEN; false with a reason when it is malformed.</summary>
    public static bool TryReadOpen(ReadOnlySpan<byte> message, out string label, out string protocol, out DataChannelReliability reliability, out string? error)
    {
        label = protocol = "";
        reliability = DataChannelReliability.Reliable;
        if (message.Length < OpenHeaderLength || message[0] != MessageTypeOpen)
        {
            error = "not a DATA_CHANNEL_OPEN";
            return false;
        }

        byte channelType = message[1];
        uint parameter = BinaryPrimitives.ReadUInt32BigEndian(message[4..]);
        int labelLength = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        int protocolLength = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        if (labelLength > MaxLabelLength || protocolLength > MaxLabelLength || message.Length != OpenHeaderLength + labelLength + protocolLength)
        {
            error = "DATA_CHANNEL_OPEN lengths do not match the message";
            return false;
        }

        bool ordered = (channelType & 0x80) == 0;
        switch (channelType & 0x7F)
        {
            case 0x00:
                reliability = new DataChannelReliability(ordered);
                break;
            case 0x01:
                reliability = new DataChannelReliability(ordered, MaxRetransmits: (int)Math.Min(parameter, int.MaxValue));
                break;
            case 0x02:
                reliability = new DataChannelReliability(ordered, MaxPacketLifeTimeMs: (int)Math.Min(parameter, int.MaxValue));
                break;
            default:
                error = $"unknown channel type 0x{channelType:x2}";
                return false;
        }

        try
        {
            var strict = new UTF8Encoding(false, true);
            label = strict.GetString(message.Slice(OpenHeaderLength, labelLength));
            protocol = strict.GetString(message.Slice(OpenHeaderLength + labelLength, protocolLength));
        }
        catch (DecoderFallbackException)
        {
            error = "label or protocol is not UTF-8";
            return false;
        }

        error = null;
        return true;
    }
}
