using System.Buffers.Binary;

namespace WebRtcAsr.Rtc.Tests.Srtp;

/// <summary>Builds plain RTP/RTCP packets for round-trip tests.</summary>
internal static class SrtpPackets
{
    public static byte[] Rtp(ushort sequence, uint ssrc = 0x11223344, int payloadLength = 88, bool audioLevelExtension = false)
    {
        int header = audioLevelExtension ? 20 : 12;
        var packet = new byte[header + payloadLength];
        packet[0] = (byte)(audioLevelExtension ? 0x90 : 0x80);
        packet[1] = 111; // Opus
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 960u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        if (audioLevelExtension)
        {
            // One-byte header extension (RFC 8285): id 1, length 1, level 0x2a, padded to a word.
            packet[12] = 0xBE;
            packet[13] = 0xDE;
            packet[15] = 1;
            packet[16] = 0x10;
            packet[17] = 0x2a;
        }

        for (int i = header; i < packet.Length; i++)
        {
            packet[i] = (byte)(i * 7 + sequence);
        }

        return packet;
    }

    /// <summary>A receiver report with one report block.</summary>
    public static byte[] ReceiverReport(uint ssrc)
    {
        var packet = new byte[32];
        packet[0] = 0x81;
        packet[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 7);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ssrc);
        for (int i = 8; i < packet.Length; i++)
        {
            packet[i] = (byte)i;
        }

        return packet;
    }

    public static byte[] WithRoom(byte[] plain, int overhead)
    {
        var buffer = new byte[plain.Length + overhead];
        plain.CopyTo(buffer, 0);
        return buffer;
    }
}
