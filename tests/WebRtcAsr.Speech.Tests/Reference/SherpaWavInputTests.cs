using System.Buffers.Binary;
using WebRtcAsr.Media.Audio;

namespace WebRtcAsr.Speech.Tests.Reference;

/// <summary>
/// The reference tests compare bit-exact results with sherpa-onnx, so both recognizers must get the same samples
/// from a WAV file: Media's <see cref="WavFile"/> must scale 16-bit PCM by exactly 1/32768, as sherpa-onnx's reader
/// does (int16 / 32768.0), and a written file must read back as the samples it was written from.
/// </summary>
public sealed class SherpaWavInputTests
{
    [Theory]
    [InlineData("digits-95-lucas")]
    [InlineData("digits-8-yweweler")]
    public void Committed_utterances_read_as_sherpa_reads_them(string name)
    {
        var path = TestAudio.Utterance(name);
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(36, 4).SequenceEqual("data"u8)); // the canonical 44-byte header
        var audio = WavFile.Read(path);
        Assert.Equal(16000, audio.SampleRate);
        Assert.Equal(1, audio.Channels);
        Assert.Equal((bytes.Length - 44) / 2, audio.Samples.Length);
        for (var i = 0; i < audio.Samples.Length; i++)
        {
            var sherpa = (float)(BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(44 + (2 * i))) / 32768.0);
            Assert.Equal(BitConverter.SingleToInt32Bits(sherpa), BitConverter.SingleToInt32Bits(audio.Samples[i]));
        }
    }

    [Fact]
    public void Written_pcm16_reads_back_as_whole_steps_of_one_32768th()
    {
        float[] samples = [0f, 0.5f, -0.5f, 1f / 32768, -1f, 0.999969482421875f, 0.25f, 0.1f, 1.5f];
        float[] expected = [0f, 0.5f, -0.5f, 1f / 32768, -1f, 0.999969482421875f, 0.25f, 3277f / 32768, 32767f / 32768];
        var path = TestAudio.WriteTemporaryWav(samples, 8000);
        try
        {
            var audio = WavFile.Read(path);
            Assert.Equal(8000, audio.SampleRate);
            Assert.Equal(expected, audio.Samples);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
