using System.Buffers.Binary;
using System.Security.Cryptography;

namespace WebRtcAsr.Rtc.Stun;

/// <summary>The 96-bit STUN transaction ID, held by value so that it can key tables without allocation.</summary>
public readonly record struct StunTransactionId(ulong High, uint Low)
{
    public const int Length = 12;

    public static StunTransactionId Read(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(source), BinaryPrimitives.ReadUInt32BigEndian(source[8..]));

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, High);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Low);
    }

    /// <summary>A new ID from the cryptographic generator (RFC 8489 requires it be uniformly random).</summary>
    public static StunTransactionId NewRandom()
    {
        Span<byte> bytes = stackalloc byte[Length];
        RandomNumberGenerator.Fill(bytes);
        return Read(bytes);
    }

    public override string ToString() => $"{High:x16}{Low:x8}";
}
