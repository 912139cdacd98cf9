using WebRtcAsr.Media.Audio;

namespace WebRtcAsr.Speech.Tests.Reference;

public sealed class TestAudioTests
{
    [Fact]
    public void Committed_utterances_are_16_kHz_speech_with_silent_edges()
    {
        Assert.Equal(6, TestAudio.UtteranceNames.Count);
        foreach (var name in TestAudio.UtteranceNames)
        {
            var audio = WavFile.Read(TestAudio.Utterance(name));
            Assert.Equal(16000, audio.SampleRate);
            Assert.InRange(audio.DurationSeconds, 1.0, 6.0);
            // 0.3 s lead-in and 0.5 s tail, less the resampling filter's ringing.
            Assert.All(audio.Samples.Take(16000 / 4), s => Assert.Equal(0f, s));
            Assert.All(audio.Samples.TakeLast(16000 * 45 / 100), s => Assert.Equal(0f, s));
            Assert.True(audio.Samples.Max(MathF.Abs) > 0.1f, $"{name} holds speech");
        }
    }

    [Fact]
    public void Digit_utterances_are_built_from_fsdd_style_recordings_at_twice_their_rate()
    {
        var dir = Directory.CreateTempSubdirectory("webrtcasr-fsdd-").FullName;
        try
        {
            var one = Tone(800, 440);
            var two = Tone(1200, 660);
            WavFile.Write(Path.Combine(dir, "1_tester_0.wav"), one, 8000);
            WavFile.Write(Path.Combine(dir, "2_tester_0.wav"), two, 8000);

            var samples = TestAudio.BuildDigitUtterance(dir, "tester", 0, [1, 2, 1], leadSeconds: 0.1, gapSeconds: 0.05, tailSeconds: 0.2);

            var expected8k = 800 + 400 + 800 + 1200 + 400 + 800 + 1600;
            Assert.Equal(2 * expected8k, samples.Length);
            Assert.All(samples.Take(2 * 700), s => Assert.Equal(0f, s, 1e-6f)); // well inside the lead-in
            // Even samples are the (16-bit quantised) recordings themselves.
            var first = WavFile.Read(Path.Combine(dir, "1_tester_0.wav")).Samples;
            for (var i = 0; i < first.Length; i++)
            {
                Assert.Equal(first[i], samples[2 * (800 + i)]);
            }

            Assert.Throws<FileNotFoundException>(() => TestAudio.BuildDigitUtterance(dir, "tester", 0, [3]));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Upsampling_keeps_a_tone_and_interpolates_between_its_samples()
    {
        var tone = Tone(4000, 1000);
        var up = DoubleRateUpsampler.Upsample(tone);
        Assert.Equal(8000, up.Length);
        for (var n = 200; n < 7800; n++) // away from the edges
        {
            var exact = 0.5 * Math.Sin(2 * Math.PI * 1000 * n / 16000.0);
            Assert.Equal(exact, up[n], 0.01);
        }
    }

    private static float[] Tone(int samples, double hz) =>
        [.. Enumerable.Range(0, samples).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * hz * i / 8000.0)))];
}
