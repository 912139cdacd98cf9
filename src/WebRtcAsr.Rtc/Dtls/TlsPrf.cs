using System.Security.Cryptography;
using System.Text;

namespace WebRtcAsr.Rtc.Dtls;

/// <summary>
/// The TLS 1.2 pseudo-random function with SHA-256 (RFC 5246 5): P_SHA256(secret, label + seed).
/// Used for the master secret, key block, Finished verify_data and the RFC 5705 exporter.
/// </summary>
internal static class TlsPrf
{
    public static void Derive(ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> seed, Span<byte> output)
    {
        int labelLength = Encoding.ASCII.GetByteCount(label);
        byte[] labelSeed = new byte[labelLength + seed.Length];
        Encoding.ASCII.GetBytes(label, labelSeed);
        seed.CopyTo(labelSeed.AsSpan(labelLength));

        // A(0) = label+seed; A(i) = HMAC(secret, A(i-1)); output = HMAC(secret, A(i) + label+seed) ...
        Span<byte> a = stackalloc byte[32];
        HMACSHA256.HashData(secret, labelSeed, a);
        byte[] block = new byte[32 + labelSeed.Length];
        Span<byte> chunk = stackalloc byte[32];
        int written = 0;
        while (written < output.Length)
        {
            a.CopyTo(block);
            labelSeed.CopyTo(block.AsSpan(32));
            HMACSHA256.HashData(secret, block, chunk);
            int n = Math.Min(32, output.Length - written);
            chunk[..n].CopyTo(output[written..]);
            written += n;
            HMACSHA256.HashData(secret, a, a);
        }
    }

    public static byte[] Derive(ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> seed, int length)
    {
        byte[] output = new byte[length];
        Derive(secret, label, seed, output);
        return output;
    }
}
