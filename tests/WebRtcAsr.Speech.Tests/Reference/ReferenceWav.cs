using System.Buffers.Binary;
using System.Text;

namespace WebRtcAsr.Speech.Tests.Reference;

/// <summary>Mono audio as float samples in [-1, 1] and its sample rate.</summary>
public sealed record WavAudio(float[] Samples, int SampleRate)
{
    /// <summary>Length in seconds.</summary>
    public double Seconds => (double)Samples.Length / SampleRate;
}

/// <summary>
/// A minimal WAV reader and writer for the reference tests: mono 16-bit PCM or 32-bit float.
/// 16-bit samples are scaled by 1/32768, exactly as sherpa-onnx's readWave does, so both
/// recognizers see bit-identical input.
/// </summary>
public static class ReferenceWav
{
    private const int FormatPcm = 1;
    private const int FormatFloat = 3;
    private const int FormatExtensible = 0xFFFE;

    /// <summary>Reads a mono 16-bit PCM or 32-bit float WAV file.</summary>
    /// <exception cref="InvalidDataException">The file is not such a WAV file.</exception>
    public static WavAudio Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return TryParse(bytes, out var audio, out var error)
            ? audio
            : throw new InvalidDataException($"{path}: {error}");
    }

    /// <summary>Parses a WAV file image; returns false with a reason when it cannot.</summary>
    public static bool TryParse(ReadOnlySpan<byte> file, out WavAudio audio, out string? error)
    {
        audio = new WavAudio([], 0);
        if (file.Length < 12 || !file[..4].SequenceEqual("RIFF"u8) || !file[8..12].SequenceEqual("WAVE"u8))
        {
            error = "not a RIFF/WAVE file";
            return false;
        }

        int format = 0, channels = 0, rate = 0, bits = 0;
        var pos = 12;
        while (pos + 8 <= file.Length)
        {
            var id = file.Slice(pos, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(pos + 4, 4));
            var body = file[(pos + 8)..];
            if (size > (uint)body.Length)
            {
                if (!id.SequenceEqual("data"u8))
                {
                    error = "chunk runs past the end of the file";
                    return false;
                }

                size = (uint)body.Length; // a streamed file may leave the data size unset
            }

            body = body[..(int)size];
            if (id.SequenceEqual("fmt "u8))
            {
                if (body.Length < 16)
                {
                    error = "fmt chunk too short";
                    return false;
                }

                format = BinaryPrimitives.ReadUInt16LittleEndian(body);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
                rate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
                bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
                if (format == FormatExtensible && body.Length >= 26)
                {
                    format = BinaryPrimitives.ReadUInt16LittleEndian(body[24..]); // sub-format GUID's first field
                }
            }
            else if (id.SequenceEqual("data"u8))
            {
                return Decode(body, format, channels, rate, bits, out audio, out error);
            }

            pos += 8 + (int)size + (int)(size & 1);
        }

        error = "no data chunk";
        return false;
    }

    private static bool Decode(ReadOnlySpan<byte> data, int format, int channels, int rate, int bits, out WavAudio audio, out string? error)
    {
        audio = new WavAudio([], 0);
        if (channels != 1 || rate <= 0)
        {
            error = $"need mono audio with a sample rate, got {channels} channels at {rate} Hz";
            return false;
        }

        if (format == FormatPcm && bits == 16)
        {
            var samples = new float[data.Length / 2];
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] = BinaryPrimitives.ReadInt16LittleEndian(data[(2 * i)..]) / 32768f;
            }

            audio = new WavAudio(samples, rate);
        }
        else if (format == FormatFloat && bits == 32)
        {
            var samples = new float[data.Length / 4];
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]);
            }

            audio = new WavAudio(samples, rate);
        }
        else
        {
            error = $"unsupported encoding: format {format}, {bits} bits (need 16-bit PCM or 32-bit float)";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Writes mono 16-bit PCM (samples are rounded to the nearest step of 1/32768).</summary>
    public static void WritePcm16(string path, ReadOnlySpan<float> samples, int sampleRate)
    {
        var file = new byte[44 + (2 * samples.Length)];
        WriteHeader(file, FormatPcm, 16, sampleRate, 2 * samples.Length);
        for (var i = 0; i < samples.Length; i++)
        {
            var v = Math.Clamp(MathF.Round(samples[i] * 32768f), short.MinValue, short.MaxValue);
            BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(44 + (2 * i)), (short)v);
        }

        File.WriteAllBytes(path, file);
    }

    /// <summary>Writes mono 32-bit float samples.</summary>
    public static void WriteFloat32(string path, ReadOnlySpan<float> samples, int sampleRate)
    {
        var file = new byte[44 + (4 * samples.Length)];
        WriteHeader(file, FormatFloat, 32, sampleRate, 4 * samples.Length);
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(44 + (4 * i)), samples[i]);
        }

        File.WriteAllBytes(path, file);
    }

    private static void WriteHeader(Span<byte> file, int format, int bits, int rate, int dataBytes)
    {
        Encoding.ASCII.GetBytes("RIFF", file);
        BinaryPrimitives.WriteInt32LittleEndian(file[4..], 36 + dataBytes);
        Encoding.ASCII.GetBytes("WAVEfmt ", file[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(file[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(file[20..], (short)format);
        BinaryPrimitives.WriteInt16LittleEndian(file[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(file[24..], rate);
        BinaryPrimitives.WriteInt32LittleEndian(file[28..], rate * bits / 8);
        BinaryPrimitives.WriteInt16LittleEndian(file[32..], (short)(bits / 8));
        BinaryPrimitives.WriteInt16LittleEndian(file[34..], (short)bits);
        Encoding.ASCII.GetBytes("data", file[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(file[40..], dataBytes);
    }
}
