using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Interop.Tests.WebRtc;

/// <summary>
/// The pieces that map the fake microphone's audio to the page's clock (for the Chromium tests and the latency
/// benchmark), on synthetic input whose answer is known.
/// </summary>
public sealed class LatencyMappingTests
{
    [Fact]
    public void The_capture_clock_takes_the_least_delayed_chunk_near_a_sample()
    {
        // 10 ms chunks at 44.1 kHz captured at 1000 ms + position / rate; each arrives 0.2-9 ms late, one in every
        // 37 on time. The clock must find the capture time exactly wherever an on-time chunk is within its window.
        const int rate = 44100;
        var random = new Random(3);
        var chunks = Enumerable.Range(1, 600)
            .Select(i => ((long)i * 441, 1000 + (i * 10.0) + (i % 37 == 0 ? 0 : 0.2 + (random.NextDouble() * 8.8))))
            .ToList();
        var clock = new CaptureClock(rate, chunks);
        foreach (var position in new[] { 441.0 * 40, 100_000, 200_000.5, 441.0 * 590 })
        {
            Assert.Equal(1000 + (position * 1000 / rate), clock.CaptureTimeMs(position), 6);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => clock.CaptureTimeMs(441.0 * 900));
    }

    [Fact]
    public void The_capture_clock_is_never_earlier_than_the_capture()
    {
        // Every chunk late: the estimate is late by the smallest delay in the window, never early.
        const int rate = 48000;
        var chunks = Enumerable.Range(1, 300).Select(i => ((long)i * 480, (i * 10.0) + 3 + (i % 5))).ToList();
        var clock = new CaptureClock(rate, chunks);
        var error = clock.CaptureTimeMs(480 * 150) - (480 * 150 * 1000.0 / rate);
        Assert.Equal(3, error, 6);
    }

    [Fact]
    public void Speech_extent_finds_a_word_between_room_noise()
    {
        // 300 ms of noise 50 dB down, a 400 ms tone, 250 ms of the same noise, at 8 kHz.
        const int rate = 8000;
        var random = new Random(5);
        float Noise() => (float)((random.NextDouble() - 0.5) * 0.003);
        var samples = Enumerable.Range(0, 2400).Select(_ => Noise())
            .Concat(Enumerable.Range(0, 3200).Select(i => 0.5f * MathF.Sin(i * 0.3f)))
            .Concat(Enumerable.Range(0, 2000).Select(_ => Noise())).ToArray();
        var (start, end) = SpeechExtent.Find(samples, rate);
        Assert.Equal(2400, start);
        Assert.Equal(5600, end);
        var trimmed = SpeechExtent.Trim(samples, rate);
        Assert.Equal(3200, trimmed.Length);
        Assert.True(Math.Abs(trimmed[0]) < 0.01 && Math.Abs(trimmed[^1]) < 0.05); // faded, no click
    }

    [Fact]
    public void A_microphone_script_places_strings_and_finds_their_first_sound()
    {
        var one = new DigitString("s", "12", [0, 0.5f, 0.5f, 0, 0, 0.5f], 8000, [2 / 8000.0, 6 / 8000.0]);
        var script = MicrophoneScript.Compose([one, one], leadSeconds: 1, gapSeconds: 0.5, tailSeconds: 0.25);
        Assert.Equal(2, script.Strings.Count);
        Assert.Equal(1.0, script.Strings[0].Start, 9);
        var second = script.Strings[1];
        Assert.Equal(script.Strings[0].Start + (6 / 8000.0) + 0.5, second.Start, 3);
        Assert.Equal(second.Start + (6 / 8000.0), second.End, 3);
        var firstSound = script.FirstSoundAfter(second.Start - 0.1)!.Value;
        Assert.InRange(firstSound - second.Start, -0.0005, 0.0005); // the resampler smears an onset by a few samples at most
        Assert.Null(script.FirstSoundAfter(script.DurationSeconds - 0.2));
    }
}
