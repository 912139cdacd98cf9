using System.Runtime.Intrinsics.X86;

namespace WebRtcAsr.Rtc.Sctp;

/// <summary>CRC-32C (Castagnoli), the SCTP checksum (RFC 9260 Appendix A, RFC 3720 B.4).</summary>
public static class Crc32c
{
    // Reflected form of the Castagnoli polynomial 0x1EDC6F41.
    private const uint Polynomial = 0x82F63B78;
    private static readonly uint[] Table = BuildTable();

    /// <summary>CRC-32C of <paramref name="data"/> (initial value all ones, final complement).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(0xFFFFFFFF, data);

    /// <summary>Continues a running (not yet complemented) CRC with more bytes.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        int i = 0;
        if (Sse42.X64.IsSupported)
        {
            ulong c = crc;
            for (; i + 8 <= data.Length; i += 8)
            {
                c = Sse42.X64.Crc32(c, System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
            }

            crc = (uint)c;
        }

        if (Sse42.IsSupported)
        {
            for (; i < data.Length; i++)
            {
                crc = Sse42.Crc32(crc, data[i]);
            }

            return crc;
        }

        var table = Table;
        for (; i < data.Length; i++)
        {
            crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }

    /// <summary>Table-only variant, so tests can check it against the hardware path.</summary>
    internal static uint ComputeWithTable(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }
}
