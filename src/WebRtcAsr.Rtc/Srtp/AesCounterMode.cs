using System.Security.Cryptography;

namespace WebRtcAsr.Rtc.Srtp;

/// <summary>
/// AES in integer counter mode (RFC 3711 4.1.1): the keystream is AES-ECB over successive counter
/// blocks whose low 16 bits count blocks. Counter blocks are laid out in a reusable buffer and
/// encrypted in one call per chunk, so a packet costs one native call and no allocation. An ECB
/// encryptor is held for the context's life: the one-shot <c>Aes.EncryptEcb</c> creates a native
/// cipher context (and its SafeHandle) per call, which measured 64 bytes of garbage per packet.
/// </summary>
internal sealed class AesCounterMode : IDisposable
{
    /// <summary>Blocks per chunk: 1536 bytes covers any packet that fits an Ethernet MTU in one call.</summary>
    private const int ChunkBlocks = 96;

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private readonly byte[] _counters = new byte[ChunkBlocks * 16];
    private readonly byte[] _keystream = new byte[ChunkBlocks * 16];

    public AesCounterMode(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
    }

    /// <summary>XORs the keystream for <paramref name="iv"/> (16 bytes, low 16 bits the block counter start) into <paramref name="data"/>.</summary>
    public void Transform(ReadOnlySpan<byte> iv, Span<byte> data, int firstBlock = 0)
    {
        int block = firstBlock;
        while (!data.IsEmpty)
        {
            int blocks = Math.Min(ChunkBlocks, (data.Length + 15) / 16);
            int bytes = blocks * 16;
            Span<byte> counters = _counters.AsSpan(0, bytes);
            int baseCounter = (iv[14] << 8) | iv[15];
            for (int j = 0; j < blocks; j++)
            {
                Span<byte> c = counters.Slice(j * 16, 16);
                iv[..14].CopyTo(c);
                int value = baseCounter + block + j;
                // The 16-bit counter carries into byte 13 only past 2^16 blocks, which SRTP never reaches.
                c[13] = (byte)(iv[13] + (value >> 16));
                c[14] = (byte)(value >> 8);
                c[15] = (byte)value;
            }

            Span<byte> keystream = _keystream.AsSpan(0, bytes);
            _ecb.TransformBlock(_counters, 0, bytes, _keystream, 0);
            int n = Math.Min(data.Length, bytes);
            Xor(data[..n], keystream[..n]);
            data = data[n..];
            block += blocks;
        }
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var d = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(data);
            var k = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(keystream);
            for (int w = 0; w < d.Length; w++)
            {
                d[w] ^= k[w];
            }

            i = d.Length * 8;
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }
    }

    public void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
    }
}
