using System.Buffers.Binary;
using WebRtcAsr.Media.Audio;

namespace WebRtcAsr.Media.Tests.Audio;

public sealed class WavFileTests
{
    // Builds a WAV image: RIFF header, fmt chunk (optionally extensible), optional extra chunks, data.
    private static byte[] Build(ushort formatCode, int channels, int rate, int bits, byte[] data,
        ushort? subFormat = null, int? blockAlign = null, uint? dataSizeOverride = null, byte[]? extraChunk = null)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(0u); // patched below
        writer.Write("WAVE"u8);
        if (extraChunk is not null)
        {
            writer.Write(extraChunk);
        }
        writer.Write("fmt "u8);
        writer.Write(subFormat is null ? 16u : 40u);
        writer.Write(formatCode);
        writer.Write((ushort)channels);
        writer.Write((uint)rate);
        int align = blockAlign ?? (channels * bits / 8);
        writer.Write((uint)(rate * align));
        writer.Write((ushort)align);
        writer.Write((ushort)bits);
        if (subFormat is ushort sub)
        {
            writer.Write((ushort)22);           // cbSize
            writer.Write((ushort)bits);         // valid bits
            writer.Write(channels == 1 ? 4u : 3u); // channel mask
            writer.Write(sub);                  // GUID xxxx0000-0000-0010-8000-00aa00389b71
            writer.Write((ushort)0);
            writer.Write(new byte[] { 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 });
        }
        writer.Write("data"u8);
        writer.Write(dataSizeOverride ?? (uint)data.Length);
        writer.Write(data);
        writer.Flush();
        byte[] bytes = stream.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }

    private static string ErrorOf(byte[] bytes) =>
        Assert.Throws<WavFormatException>(() => WavFile.Parse(bytes, "speech.wav")).Message;

    [Fact]
    public void Sixteen_bit_write_then_read_round_trips_within_rounding()
    {
        float[] samples = Enumerable.Range(0, 1000).Select(i => (float)Math.Sin(i * 0.05) * 0.9f).ToArray();
        samples[0] = 1.5f;   // clipped
        samples[1] = -1f;
        string path = Path.Combine(Path.GetTempPath(), $"wav-{Guid.NewGuid():N}.wav");
        try
        {
            WavFile.Write(path, samples, 16000);
            WavAudio audio = WavFile.Read(path);
            Assert.Equal((16000, 1, 1000), (audio.SampleRate, audio.Channels, audio.Samples.Length));
            Assert.Equal(1000 / 16000.0, audio.DurationSeconds, 12);
            Assert.Equal(32767 / 32768f, audio.Samples[0]);
            Assert.Equal(-1f, audio.Samples[1]);
            for (int i = 2; i < samples.Length; i++)
            {
                Assert.True(Math.Abs(samples[i] - audio.Samples[i]) <= 0.5f / 32768f, $"sample {i}");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Reads_pcm_8_bit_unsigned()
    {
        WavAudio audio = WavFile.Parse(Build(1, 1, 8000, 8, [0, 128, 255, 64]), "a.wav");
        Assert.Equal(new[] { -1f, 0f, 127 / 128f, -0.5f }, audio.Samples);
    }

    [Fact]
    public void Reads_pcm_24_bit_with_sign_extension()
    {
        byte[] data = [0xFF, 0xFF, 0x7F, 0x00, 0x00, 0x80, 0x00, 0x00, 0x40, 0xFF, 0xFF, 0xFF];
        WavAudio audio = WavFile.Parse(Build(1, 2, 44100, 24, data), "a.wav");
        Assert.Equal((44100, 2), (audio.SampleRate, audio.Channels));
        Assert.Equal(new[] { 8388607 / 8388608f, -1f, 0.5f, -1 / 8388608f }, audio.Samples);
        Assert.Equal(new[] { (8388607 / 8388608f - 1f) / 2, (0.5f - 1 / 8388608f) / 2 }, audio.ToMono());
    }

    [Fact]
    public void Reads_pcm_32_bit()
    {
        byte[] data = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(data, int.MinValue);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4), 1 << 30);
        Assert.Equal(new[] { -1f, 0.5f }, WavFile.Parse(Build(1, 1, 48000, 32, data), "a.wav").Samples);
    }

    [Fact]
    public void Reads_float_32_and_64_bit()
    {
        byte[] f32 = new byte[8];
        BinaryPrimitives.WriteSingleLittleEndian(f32, 0.25f);
        BinaryPrimitives.WriteSingleLittleEndian(f32.AsSpan(4), -0.75f);
        Assert.Equal(new[] { 0.25f, -0.75f }, WavFile.Parse(Build(3, 1, 16000, 32, f32), "a.wav").Samples);
        byte[] f64 = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(f64, 0.125);
        BinaryPrimitives.WriteDoubleLittleEndian(f64.AsSpan(8), -1.0);
        Assert.Equal(new[] { 0.125f, -1f }, WavFile.Parse(Build(3, 1, 16000, 64, f64), "a.wav").Samples);
    }

    [Fact]
    public void Reads_wave_format_extensible_with_pcm_and_float_sub_formats()
    {
        byte[] pcm = new byte[4];
        BinaryPrimitives.WriteInt16LittleEndian(pcm, 16384);
        BinaryPrimitives.WriteInt16LittleEndian(pcm.AsSpan(2), -32768);
        Assert.Equal(new[] { 0.5f, -1f }, WavFile.Parse(Build(0xFFFE, 2, 8000, 16, pcm, subFormat: 1), "a.wav").Samples);
        byte[] f32 = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(f32, 0.5f);
        Assert.Equal(new[] { 0.5f }, WavFile.Parse(Build(0xFFFE, 1, 8000, 32, f32, subFormat: 3), "a.wav").Samples);
    }

    [Fact]
    public void Skips_unknown_chunks_including_odd_sized_ones_with_their_pad_byte()
    {
        byte[] list = [.. "LIST"u8, 3, 0, 0, 0, 1, 2, 3, 0 /* pad */];
        byte[] data = [0x00, 0x40];
        Assert.Equal(new[] { 0.5f }, WavFile.Parse(Build(1, 1, 8000, 16, data, extraChunk: list), "a.wav").Samples);
    }

    [Fact]
    public void Malformed_headers_get_specific_messages_naming_the_file()
    {
        byte[] good = Build(1, 1, 8000, 16, [0, 0]);
        Assert.Equal("speech.wav: too short for a RIFF/WAVE header (5 bytes, need 12)", ErrorOf(good[..5]));

        byte[] notRiff = (byte[])good.Clone();
        "OggS"u8.CopyTo(notRiff);
        Assert.Equal("speech.wav: not a RIFF file: starts with \"OggS\", expected \"RIFF\"", ErrorOf(notRiff));

        byte[] rifx = (byte[])good.Clone();
        "RIFX"u8.CopyTo(rifx);
        Assert.Contains("big-endian RIFX is not supported", ErrorOf(rifx), StringComparison.Ordinal);

        byte[] avi = (byte[])good.Clone();
        "AVI "u8.CopyTo(avi.AsSpan(8));
        Assert.Equal("speech.wav: RIFF form type is \"AVI \", expected \"WAVE\"", ErrorOf(avi));

        byte[] noFmt = [.. "RIFF"u8, 0, 0, 0, 0, .. "WAVE"u8, .. "junk"u8, 2, 0, 0, 0, 1, 2];
        Assert.Equal("speech.wav: missing fmt chunk", ErrorOf(noFmt));

        byte[] dataFirst = [.. "RIFF"u8, 0, 0, 0, 0, .. "WAVE"u8, .. "data"u8, 2, 0, 0, 0, 1, 2];
        Assert.Equal("speech.wav: data chunk comes before any fmt chunk (missing fmt chunk)", ErrorOf(dataFirst));

        byte[] noData = good[..36];
        Assert.Equal("speech.wav: missing data chunk", ErrorOf(noData));

        byte[] shortFmt = [.. "RIFF"u8, 0, 0, 0, 0, .. "WAVE"u8, .. "fmt "u8, 14, 0, 0, 0, .. new byte[14]];
        Assert.Equal("speech.wav: fmt chunk too short (14 bytes, need 16)", ErrorOf(shortFmt));

        Assert.Equal("speech.wav: unsupported format code 0x0055 (MPEG Layer 3); supported: PCM (1) and IEEE float (3)",
            ErrorOf(Build(0x55, 1, 8000, 16, [0, 0])));
        Assert.Equal("speech.wav: unsupported WAVE_FORMAT_EXTENSIBLE sub-format 0x0007 (μ-law); supported: PCM (1) and IEEE float (3)",
            ErrorOf(Build(0xFFFE, 1, 8000, 8, [0], subFormat: 7)));
        Assert.Equal("speech.wav: unsupported 12 bits per sample for PCM (supported: 8, 16, 24, 32)",
            ErrorOf(Build(1, 1, 8000, 12, [0, 0], blockAlign: 2)));
        Assert.Equal("speech.wav: unsupported 16 bits per sample for IEEE float (supported: 32, 64)",
            ErrorOf(Build(3, 1, 8000, 16, [0, 0])));
        Assert.Equal("speech.wav: fmt chunk says 0 channels", ErrorOf(Build(1, 0, 8000, 16, [0, 0], blockAlign: 2)));
        Assert.Equal("speech.wav: fmt chunk has invalid sample rate 0", ErrorOf(Build(1, 1, 0, 16, [0, 0])));
        Assert.Equal("speech.wav: block align 3 does not match 1 channel(s) of 16 bits (expected 2)",
            ErrorOf(Build(1, 1, 8000, 16, [0, 0, 0], blockAlign: 3)));
    }

    [Fact]
    public void Truncated_data_says_how_many_bytes_were_expected_and_found()
    {
        Assert.Equal("speech.wav: truncated data chunk: header says 1000 bytes, found 4",
            ErrorOf(Build(1, 1, 8000, 16, [1, 2, 3, 4], dataSizeOverride: 1000)));
        Assert.Equal("speech.wav: truncated data chunk: 5 bytes is not a whole number of 4-byte frames (expected 8 bytes, found 5)",
            ErrorOf(Build(1, 2, 8000, 16, [1, 2, 3, 4, 5])));
        byte[] cutFmt = Build(1, 1, 8000, 16, [0, 0])[..30];
        Assert.Equal("speech.wav: fmt chunk truncated: header says 16 bytes, found 10", ErrorOf(cutFmt));
    }

    [Fact]
    public void Reads_a_real_recording()
    {
        WavAudio audio = WavFile.Read(Path.Combine(AppContext.BaseDirectory, "Audio", "TestData", "3_jackson_0.wav"));
        Assert.Equal((8000, 1), (audio.SampleRate, audio.Channels));
        Assert.InRange(audio.DurationSeconds, 0.2, 1.0);
        Assert.True(audio.Samples.Max(Math.Abs) > 0.1f);
    }
}
