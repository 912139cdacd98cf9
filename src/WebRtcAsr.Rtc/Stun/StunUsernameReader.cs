using System.Buffers.Binary;

namespace WebRtcAsr.Rtc.Stun;

/// <summary>
/// Finds the USERNAME of a Binding request without a full parse or allocation: what a demux needs to
/// route a check from an address it has not seen yet. The message is not authenticated here.
/// </summary>
public static class StunUsernameReader
{
    /// <summary>The part of USERNAME before the first ':' (the receiver's own ufrag in an ICE check).</summary>
    public static bool TryReadLocalUfrag(ReadOnlySpan<byte> datagram, out ReadOnlySpan<byte> ufrag)
    {
        ufrag = default;
        if (!StunMessage.IsStun(datagram)
            || StunMessageType.FromWire(BinaryPrimitives.ReadUInt16BigEndian(datagram)) != StunMessageType.BindingRequest)
        {
            return false;
        }

        int end = Math.Min(datagram.Length, StunMessage.HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]));
        int offset = StunMessage.HeaderLength;
        for (int count = 0; offset + 4 <= end && count < StunMessage.MaxAttributes; count++)
        {
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            if (offset + 4 + length > end)
            {
                return false;
            }

            if (type == StunAttributeType.Username)
            {
                var username = datagram.Slice(offset + 4, length);
                int colon = username.IndexOf((byte)':');
                if (colon <= 0)
                {
                    return false;
                }

                ufrag = username[..colon];
                return true;
            }

            offset += 4 + ((length + 3) & ~3);
        }

        return false;
    }
}
