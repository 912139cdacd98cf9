using System.Diagnostics;
using WebRtcAsr.Speech.Features;
using Xunit.Abstractions;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Speech.Tests.Features;

/// <summary>Steady-state streaming allocates nothing. (Speed is printed, never asserted.)</summary>
public sealed class OnlineFbankAllocationTests(ITestOutputHelper output)
{
    [Fact]
    public void Accepting_audio_and_reading_released_frames_allocates_nothing_after_warm_up()
    {
        float[] signal = FeatureTestData.ReadWav("chirp_100_7000");
        var fbank = new OnlineFbank(new FbankOptions());
        var frame = new float[fbank.Dim];

        // 20 ms packets, as the media path delivers them; the consumer reads and releases each frame.
        void Stream(int packets)
        {
            for (int p = 0; p < packets; p++)
            {
                int start = (p * 320) % (signal.Length - 320);
                fbank.AcceptWaveform(signal.AsSpan(start, 320));
                for (int f = fbank.FirstRetainedFrame; f < fbank.NumFramesReady; f++)
                {
                    fbank.GetFrame(f, frame);
                }

                fbank.DropFramesBefore(fbank.NumFramesReady);
            }
        }

        Stream(50); // warm-up: JIT, shared tables, frame store at its working size
        long allocated = SteadyStateAllocation.Measure(() => Stream(500));

        output.WriteLine($"allocated after warm-up: {allocated} bytes over 500 packets (1000 frames)");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Prints_the_cost_per_frame()
    {
        float[] signal = FeatureTestData.ReadWav("chirp_100_7000");
        var fbank = new OnlineFbank(new FbankOptions());
        var frame = new float[fbank.Dim];
        int frames = 0;
        var watch = new Stopwatch();
        for (int round = 0; round < 30; round++)
        {
            if (round == 5)
            {
                watch.Start(); // after warm-up
                frames = 0;
            }

            fbank.Reset();
            fbank.AcceptWaveform(signal);
            fbank.InputFinished();
            for (int f = 0; f < fbank.NumFramesReady; f++)
            {
                fbank.GetFrame(f, frame);
            }

            frames += fbank.NumFramesReady;
        }

        watch.Stop();
        double microseconds = watch.Elapsed.TotalMicroseconds / frames;
        output.WriteLine($"{microseconds:F2} µs per frame ({frames} frames; real time needs 10 ms per frame per stream)");
        Assert.True(frames > 0);
    }
}
