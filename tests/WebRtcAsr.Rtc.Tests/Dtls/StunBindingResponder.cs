using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace WebRtcAsr.Rtc.Tests.Dtls;

/// <summary>
/// Just enough ICE-lite for a browser to reach the DTLS test: answers STUN Binding requests
/// (RFC 8489) with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY (keyed with our ice-pwd) and FINGERPRINT.
/// Test scaffolding only; the product's STUN/ICE lives in Rtc/Stun and Rtc/Ice.
/// </summary>
internal static class StunBindingResponder
{
    private const uint MagicCookie = 0x2112A442;

    public static bool IsStun(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= 20 && datagram[0] < 2 && BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) == MagicCookie;

    /// <summary>The success response to a Binding request, or null for anything else.</summary>
    public static byte[]? Answer(ReadOnlySpan<byte> request, IPEndPoint from, string localPassword)
    {
        if (!IsStun(request) || BinaryPrimitives.ReadUInt16BigEndian(request) != 0x0001)
        {
            return null;
        }
        var response = new List<byte>();
        void U16(int v) { response.Add((byte)(v >> 8)); response.Add((byte)v); }
        U16(0x0101);
        U16(0); // length, patched below
        response.AddRange(request.Slice(4, 16).ToArray()); // magic cookie + transaction id

        byte[] address = from.Address.MapToIPv4().GetAddressBytes();
        U16(0x0020); // XOR-MAPPED-ADDRESS
        U16(8);
        response.Add(0);
        response.Add(1);
        U16(from.Port ^ (int)(MagicCookie >> 16));
        for (int i = 0; i < 4; i++)
        {
            response.Add((byte)(address[i] ^ (byte)(MagicCookie >> (24 - 8 * i))));
        }

        byte[] message = [.. response];
        SetLength(message, message.Length - 20 + 24);
        byte[] integrity = HMACSHA1.HashData(Encoding.UTF8.GetBytes(localPassword), message);
        message = [.. message, 0x00, 0x08, 0x00, 0x14, .. integrity];

        SetLength(message, message.Length - 20 + 8);
        uint crc = Crc32(message) ^ 0x5354554E;
        message = [.. message, 0x80, 0x28, 0x00, 0x04, (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc];
        return message;
    }

    private static void SetLength(byte[] message, int length) => BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)length);

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }
        return ~crc;
    }
}
