using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace WebRtcAsr.Rtc.Stun;

/// <summary>
/// Encodes and decodes (XOR-)MAPPED-ADDRESS values (RFC 8489 sections 14.1 and 14.2): family, port,
/// address; the XOR form masks the port with the cookie's top 16 bits and the address with the
/// cookie (IPv4) or cookie plus transaction ID (IPv6).
/// </summary>
internal static class StunAddressCodec
{
    private const byte FamilyIPv4 = 0x01;
    private const byte FamilyIPv6 = 0x02;

    public static int EncodedLength(IPEndPoint endPoint) =>
        endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? 20 : 8;

    /// <summary>Writes the attribute value (its length from <see cref="EncodedLength"/>); <paramref name="header"/> is the 20-byte message header whose cookie and transaction ID are the XOR mask.</summary>
    public static void Write(Span<byte> destination, IPEndPoint endPoint, bool xor, ReadOnlySpan<byte> header)
    {
        bool v6 = endPoint.AddressFamily == AddressFamily.InterNetworkV6;
        destination[0] = 0;
        destination[1] = v6 ? FamilyIPv6 : FamilyIPv4;
        ushort port = (ushort)endPoint.Port;
        if (xor)
        {
            port ^= (ushort)(StunMessage.MagicCookie >> 16);
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], port);
        Span<byte> address = destination.Slice(4, v6 ? 16 : 4);
        if (!endPoint.Address.TryWriteBytes(address, out _))
        {
            throw new ArgumentException("address does not fit its family", nameof(endPoint));
        }

        if (xor)
        {
            for (int i = 0; i < address.Length; i++)
            {
                address[i] ^= header[4 + i]; // cookie (4 bytes) then transaction ID (12 bytes)
            }
        }
    }

    public static bool TryRead(ReadOnlySpan<byte> value, bool xor, ReadOnlySpan<byte> header, out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (value.Length < 8)
        {
            return false;
        }

        int addressLength = value[1] switch
        {
            FamilyIPv4 => 4,
            FamilyIPv6 => 16,
            _ => 0,
        };
        if (addressLength == 0 || value.Length != 4 + addressLength)
        {
            return false;
        }

        ushort port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
        Span<byte> address = stackalloc byte[addressLength];
        value.Slice(4, addressLength).CopyTo(address);
        if (xor)
        {
            port ^= (ushort)(StunMessage.MagicCookie >> 16);
            for (int i = 0; i < address.Length; i++)
            {
                address[i] ^= header[4 + i];
            }
        }

        endPoint = new IPEndPoint(new IPAddress(address), port);
        return true;
    }
}
