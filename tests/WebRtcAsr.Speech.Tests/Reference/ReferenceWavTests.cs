namespace WebRtcAsr.Speech.Tests.Reference;

public sealed class ReferenceWavTests
{
    [Fact]
    public void Reads_a_committed_16_bit_file_as_sherpa_does()
    {
        var path = TestAudio.Utterance("digits-95-lucas");
        var audio = ReferenceWav.Read(path);
        Assert.Equal(16000, audio.SampleRate);
        Assert.Equal((new FileInfo(path).Length - 44) / 2, audio.Samples.Length);
        Assert.All(audio.Samples, s => Assert.Equal(s, MathF.Round(s * 32768f) / 32768f)); // whole steps of 1/32768
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Round_trips_pcm16_and_float32(bool pcm16)
    {
        float[] samples = [0f, 0.5f, -0.5f, 1f / 32768, -1f, 0.999969482421875f, 0.25f];
        var path = Path.GetTempFileName();
        try
        {
            if (pcm16)
            {
                ReferenceWav.WritePcm16(path, samples, 8000);
            }
            else
            {
                ReferenceWav.WriteFloat32(path, samples, 48000);
            }

            var audio = ReferenceWav.Read(path);
            Assert.Equal(pcm16 ? 8000 : 48000, audio.SampleRate);
            Assert.Equal(samples, audio.Samples);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Rejects_what_it_cannot_read_with_a_reason()
    {
        Assert.False(ReferenceWav.TryParse("RIFF1234WAVX"u8, out _, out var notWave));
        Assert.Contains("RIFF", notWave, StringComparison.Ordinal);

        var stereo = File.ReadAllBytes(TestAudio.Utterance("digits-8-yweweler"));
        stereo[22] = 2; // channels
        Assert.False(ReferenceWav.TryParse(stereo, out _, out var channels));
        Assert.Contains("mono", channels, StringComparison.Ordinal);

        var truncated = File.ReadAllBytes(TestAudio.Utterance("digits-8-yweweler"))[..30];
        Assert.False(ReferenceWav.TryParse(truncated, out _, out var shortError));
        Assert.NotNull(shortError);
    }
}
