using System.Buffers.Binary;

namespace WebRtcAsr.Media.Audio;

/// <summary>
/// Reads RIFF/WAVE files (PCM 8/16/24/32-bit, IEEE float 32/64, WAVE_FORMAT_EXTENSIBLE with a PCM
/// or float sub-format; any channel count and rate) and writes 16-bit PCM mono.
/// </summary>
public static class WavFile
{
    private const ushort FormatPcm = 0x0001;
    private const ushort FormatFloat = 0x0003;
    private const ushort FormatExtensible = 0xFFFE;

    /// <summary>Reads and decodes a WAV file; throws <see cref="WavFormatException"/> when it is not one we can read.</summary>
    public static WavAudio Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Decodes WAV bytes; <paramref name="sourceName"/> names them in error messages.</summary>
    public static WavAudio Parse(ReadOnlySpan<byte> bytes, string sourceName)
    {
        if (bytes.Length < 12)
        {
            throw Error(sourceName, $"too short for a RIFF/WAVE header ({bytes.Length} bytes, need 12)");
        }
        if (!bytes[..4].SequenceEqual("RIFF"u8))
        {
            string hint = bytes[..4].SequenceEqual("RIFX"u8) ? " (big-endian RIFX is not supported)"
                : bytes[..4].SequenceEqual("RF64"u8) ? " (RF64 is not supported)" : "";
            throw Error(sourceName, $"not a RIFF file: starts with {Quote(bytes[..4])}, expected \"RIFF\"{hint}");
        }
        if (!bytes.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            throw Error(sourceName, $"RIFF form type is {Quote(bytes.Slice(8, 4))}, expected \"WAVE\"");
        }

        Format? format = null;
        int offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            ReadOnlySpan<byte> id = bytes.Slice(offset, 4);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(offset + 4)..]);
            int bodyStart = offset + 8;
            long available = bytes.Length - bodyStart;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size > available)
                {
                    throw Error(sourceName, $"fmt chunk truncated: header says {size} bytes, found {available}");
                }
                format = ParseFormat(bytes.Slice(bodyStart, (int)size), sourceName);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format is null)
                {
                    throw Error(sourceName, "data chunk comes before any fmt chunk (missing fmt chunk)");
                }
                if (size > available)
                {
                    throw Error(sourceName, $"truncated data chunk: header says {size} bytes, found {available}");
                }
                return Decode(bytes.Slice(bodyStart, (int)size), format.Value, sourceName);
            }
            // Chunks are word-aligned: an odd-sized chunk is followed by a pad byte.
            long next = bodyStart + (long)size + (size & 1);
            if (next > bytes.Length)
            {
                break;
            }
            offset = (int)next;
        }
        throw Error(sourceName, format is null ? "missing fmt chunk" : "missing data chunk");
    }

    /// <summary>Writes mono samples as 16-bit PCM (clipped to [-1, 1], rounded).</summary>
    public static void Write(string path, ReadOnlySpan<float> mono, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllBytes(path, Encode16(mono, sampleRate));
    }

    /// <summary>Encodes mono samples as a 16-bit PCM WAV file image.</summary>
    public static byte[] Encode16(ReadOnlySpan<float> mono, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        int dataBytes = checked(mono.Length * 2);
        var file = new byte[44 + dataBytes];
        Span<byte> span = file;
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)(36 + dataBytes));
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], FormatPcm);
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], (uint)(sampleRate * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[40..], (uint)dataBytes);
        for (int i = 0; i < mono.Length; i++)
        {
            float scaled = MathF.Round(mono[i] * 32768f);
            short value = (short)Math.Clamp(scaled, short.MinValue, short.MaxValue);
            BinaryPrimitives.WriteInt16LittleEndian(span[(44 + (2 * i))..], value);
        }
        return file;
    }

    private readonly record struct Format(ushort Code, int Channels, int SampleRate, int BlockAlign, int BitsPerSample);

    private static Format ParseFormat(ReadOnlySpan<byte> fmt, string sourceName)
    {
        if (fmt.Length < 16)
        {
            throw Error(sourceName, $"fmt chunk too short ({fmt.Length} bytes, need 16)");
        }
        ushort code = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        ushort effective = code;
        if (code == FormatExtensible)
        {
            if (fmt.Length < 40)
            {
                throw Error(sourceName, $"WAVE_FORMAT_EXTENSIBLE fmt chunk too short ({fmt.Length} bytes, need 40)");
            }
            // The sub-format GUID's first two bytes are the plain format code (KSDATAFORMAT_SUBTYPE_*).
            effective = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
        }
        if (effective != FormatPcm && effective != FormatFloat)
        {
            string where = code == FormatExtensible ? "WAVE_FORMAT_EXTENSIBLE sub-format" : "format code";
            throw Error(sourceName, $"unsupported {where} 0x{effective:X4}{Name(effective)}; supported: PCM (1) and IEEE float (3)");
        }
        if (channels == 0)
        {
            throw Error(sourceName, "fmt chunk says 0 channels");
        }
        if (rate == 0 || rate > int.MaxValue)
        {
            throw Error(sourceName, $"fmt chunk has invalid sample rate {rate}");
        }
        bool supportedBits = effective == FormatPcm ? bits is 8 or 16 or 24 or 32 : bits is 32 or 64;
        if (!supportedBits)
        {
            string kind = effective == FormatPcm ? "PCM (supported: 8, 16, 24, 32)" : "IEEE float (supported: 32, 64)";
            throw Error(sourceName, $"unsupported {bits} bits per sample for {kind}");
        }
        int expectedAlign = channels * (bits / 8);
        if (blockAlign != expectedAlign)
        {
            throw Error(sourceName, $"block align {blockAlign} does not match {channels} channel(s) of {bits} bits (expected {expectedAlign})");
        }
        return new Format(effective, channels, (int)rate, blockAlign, bits);
    }

    private static WavAudio Decode(ReadOnlySpan<byte> data, Format format, string sourceName)
    {
        if (data.Length % format.BlockAlign != 0)
        {
            long whole = data.Length / format.BlockAlign;
            throw Error(sourceName,
                $"truncated data chunk: {data.Length} bytes is not a whole number of {format.BlockAlign}-byte frames (expected {(whole + 1) * format.BlockAlign} bytes, found {data.Length})");
        }
        int bytesPerSample = format.BitsPerSample / 8;
        var samples = new float[data.Length / bytesPerSample];
        for (int i = 0; i < samples.Length; i++)
        {
            ReadOnlySpan<byte> s = data.Slice(i * bytesPerSample, bytesPerSample);
            samples[i] = (format.Code, format.BitsPerSample) switch
            {
                (FormatPcm, 8) => (s[0] - 128) / 128f,
                (FormatPcm, 16) => BinaryPrimitives.ReadInt16LittleEndian(s) / 32768f,
                (FormatPcm, 24) => ((s[0] | (s[1] << 8) | (s[2] << 16)) << 8 >> 8) / 8388608f,
                (FormatPcm, 32) => (float)(BinaryPrimitives.ReadInt32LittleEndian(s) / 2147483648.0),
                (FormatFloat, 32) => BinaryPrimitives.ReadSingleLittleEndian(s),
                _ => (float)BinaryPrimitives.ReadDoubleLittleEndian(s),
            };
        }
        return new WavAudio(format.SampleRate, format.Channels, samples);
    }

    private static string Name(ushort code) => code switch
    {
        0x0002 => " (Microsoft ADPCM)",
        0x0006 => " (A-law)",
        0x0007 => " (μ-law)",
        0x0011 => " (IMA ADPCM)",
        0x0055 => " (MPEG Layer 3)",
        _ => "",
    };

    private static string Quote(ReadOnlySpan<byte> fourCc)
    {
        Span<char> chars = stackalloc char[4];
        for (int i = 0; i < 4; i++)
        {
            chars[i] = fourCc[i] is >= 0x20 and < 0x7F ? (char)fourCc[i] : '?';
        }
        return $"\"{chars}\"";
    }

    private static WavFormatException Error(string sourceName, string problem) => new(sourceName, problem);
}
