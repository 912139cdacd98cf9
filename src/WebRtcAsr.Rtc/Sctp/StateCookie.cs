using System.Buffers.Binary;
using System.Security.Cryptography;

namespace WebRtcAsr.Rtc.Sctp;

/// <summary>
/// The State Cookie of an INIT-ACK (RFC 9260 §5.1.3): everything the responder needs to build the
/// association, signed with HMAC-SHA256 and stamped, so that the responder keeps no state until a
/// valid COOKIE-ECHO returns it.
/// </summary>
internal readonly record struct StateCookie(
    long CreatedMicros,
    long LifetimeMicros,
    uint LocalTag,
    uint PeerTag,
    uint LocalInitialTsn,
    uint PeerInitialTsn,
    uint PeerArwnd,
    ushort OutboundStreams,
    ushort InboundStreams,
    bool PeerForwardTsn,
    bool PeerReconfig)
{
    private const byte Version = 1;
    private const int BodyLength = 1 + 8 + 8 + (4 * 5) + 2 + 2 + 1;
    public const int Length = BodyLength + 32;

    public void Write(Span<byte> destination, ReadOnlySpan<byte> secret)
    {
        destination[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(destination[1..], CreatedMicros);
        BinaryPrimitives.WriteInt64BigEndian(destination[9..], LifetimeMicros);
        BinaryPrimitives.WriteUInt32BigEndian(destination[17..], LocalTag);
        BinaryPrimitives.WriteUInt32BigEndian(destination[21..], PeerTag);
        BinaryPrimitives.WriteUInt32BigEndian(destination[25..], LocalInitialTsn);
        BinaryPrimitives.WriteUInt32BigEndian(destination[29..], PeerInitialTsn);
        BinaryPrimitives.WriteUInt32BigEndian(destination[33..], PeerArwnd);
        BinaryPrimitives.WriteUInt16BigEndian(destination[37..], OutboundStreams);
        BinaryPrimitives.WriteUInt16BigEndian(destination[39..], InboundStreams);
        destination[41] = (byte)((PeerForwardTsn ? 1 : 0) | (PeerReconfig ? 2 : 0));
        HMACSHA256.HashData(secret, destination[..BodyLength], destination[BodyLength..Length]);
    }

    public enum Validity
    {
        Valid,
        Malformed,
        BadSignature,
        Expired,
    }

    /// <summary>Checks length, signature (constant time) and age, then reads the cookie.</summary>
    public static Validity TryRead(ReadOnlySpan<byte> cookie, ReadOnlySpan<byte> secret, long nowMicros, out StateCookie result,
        out long stalenessMicros)
    {
        result = default;
        stalenessMicros = 0;
        if (cookie.Length != Length || cookie[0] != Version)
        {
            return Validity.Malformed;
        }

        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(secret, cookie[..BodyLength], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, cookie[BodyLength..Length]))
        {
            return Validity.BadSignature;
        }

        result = new StateCookie(
            BinaryPrimitives.ReadInt64BigEndian(cookie[1..]),
            BinaryPrimitives.ReadInt64BigEndian(cookie[9..]),
            BinaryPrimitives.ReadUInt32BigEndian(cookie[17..]),
            BinaryPrimitives.ReadUInt32BigEndian(cookie[21..]),
            BinaryPrimitives.ReadUInt32BigEndian(cookie[25..]),
            BinaryPrimitives.ReadUInt32BigEndian(cookie[29..]),
            BinaryPrimitives.ReadUInt32BigEndian(cookie[33..]),
            BinaryPrimitives.ReadUInt16BigEndian(cookie[37..]),
            BinaryPrimitives.ReadUInt16BigEndian(cookie[39..]),
            (cookie[41] & 1) != 0,
            (cookie[41] & 2) != 0);
        long age = nowMicros - result.CreatedMicros;
        if (age > result.LifetimeMicros || age < -result.LifetimeMicros)
        {
            stalenessMicros = Math.Max(0, age - result.LifetimeMicros);
            return Validity.Expired;
        }

        return Validity.Valid;
    }
}
