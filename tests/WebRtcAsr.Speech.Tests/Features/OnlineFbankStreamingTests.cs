using WebRtcAsr.Speech.Features;

namespace WebRtcAsr.Speech.Tests.Features;

/// <summary>Chunking, frame bookkeeping and bad input of the streaming filterbank.</summary>
public sealed class OnlineFbankStreamingTests
{
    private static readonly float[] Chirp = FeatureTestData.ReadWav("chirp_100_7000");

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(160)]
    [InlineData(399)]
    [InlineData(1000)]
    [InlineData(5000)]
    public void Any_fixed_chunk_size_gives_the_whole_signal_frames_bit_for_bit(int chunk)
    {
        float[][] whole = FeatureTestData.WholeSignalFrames(Chirp);
        var fbank = new OnlineFbank(new FbankOptions());
        for (int i = 0; i < Chirp.Length; i += chunk)
        {
            fbank.AcceptWaveform(Chirp.AsSpan(i, Math.Min(chunk, Chirp.Length - i)));
        }

        fbank.InputFinished();
        FeatureTestData.AssertBitwiseEqual(whole, FeatureTestData.ReadAll(fbank));
    }

    [Fact]
    public void Random_chunk_sizes_with_empty_chunks_give_the_same_frames()
    {
        float[][] whole = FeatureTestData.WholeSignalFrames(Chirp);
        var random = new Random(12345);
        for (int trial = 0; trial < 5; trial++)
        {
            var fbank = new OnlineFbank(new FbankOptions());
            int i = 0;
            while (i < Chirp.Length)
            {
                int n = Math.Min(random.Next(0, 3000), Chirp.Length - i);
                fbank.AcceptWaveform(Chirp.AsSpan(i, n));
                i += n;
            }

            fbank.InputFinished();
            FeatureTestData.AssertBitwiseEqual(whole, FeatureTestData.ReadAll(fbank));
        }
    }

    [Fact]
    public void Frames_appear_when_their_last_sample_arrives_and_the_flush_adds_the_reflected_tail()
    {
        var fbank = new OnlineFbank(new FbankOptions());

        // Frame f covers samples 160f − 120 .. 160f + 279 (frame 0 reflected at the start).
        fbank.AcceptWaveform(Chirp.AsSpan(0, 279));
        Assert.Equal(0, fbank.NumFramesReady);
        fbank.AcceptWaveform(Chirp.AsSpan(279, 1));
        Assert.Equal(1, fbank.NumFramesReady);
        fbank.AcceptWaveform(Chirp.AsSpan(280, 159));
        Assert.Equal(1, fbank.NumFramesReady);
        fbank.AcceptWaveform(Chirp.AsSpan(439, 1));
        Assert.Equal(2, fbank.NumFramesReady);

        fbank.AcceptWaveform(Chirp.AsSpan(440));
        int beforeFlush = fbank.NumFramesReady;
        Assert.False(fbank.IsLastFrame(beforeFlush - 1));

        fbank.InputFinished();

        // 9641 samples: round(9641 / 160) = 60 frames; 59 end inside the signal (frame 58 ends at
        // 58·160 + 280 = 9560), the last one is reflected at the end.
        Assert.Equal(59, beforeFlush);
        Assert.Equal(60, fbank.NumFramesReady);
        Assert.True(fbank.IsLastFrame(59));
        Assert.False(fbank.IsLastFrame(58));
        Assert.False(fbank.IsLastFrame(60));
        Assert.True(fbank.IsInputFinished);
    }

    [Fact]
    public void Snip_edges_keeps_only_whole_frames_inside_the_signal()
    {
        var options = new FbankOptions { SnipEdges = true };
        var fbank = new OnlineFbank(options);
        fbank.AcceptWaveform(Chirp);
        int before = fbank.NumFramesReady;
        fbank.InputFinished();

        Assert.Equal(1 + ((Chirp.Length - 400) / 160), before);
        Assert.Equal(before, fbank.NumFramesReady);

        // Snipped frame f starts at 160f; unsnipped frame f of the signal advanced by 120
        // samples starts there too (160f − 120 + 120), so away from the reflected edges they are equal.
        float[][] snipped = FeatureTestData.ReadAll(fbank);
        float[][] advanced = FeatureTestData.WholeSignalFrames(Chirp.AsSpan(120).ToArray());
        FeatureTestData.AssertBitwiseEqual(snipped[1..], advanced[1..snipped.Length]);
    }

    [Fact]
    public void Eight_kilohertz_input_uses_200_sample_frames_and_stays_chunking_invariant()
    {
        // 8 kHz: 25 ms = 200 samples, 10 ms = 80, a 256-point FFT (its last stage is radix 2).
        var options = new FbankOptions { SampleRate = 8000, NumBins = 40, HighFreq = 0 };
        float[] eightK = new float[4000];
        for (int i = 0; i < eightK.Length; i++)
        {
            eightK[i] = Chirp[2 * i];
        }

        float[][] whole = FeatureTestData.WholeSignalFrames(eightK, options);
        var fbank = new OnlineFbank(options);
        for (int i = 0; i < eightK.Length; i += 33)
        {
            fbank.AcceptWaveform(eightK.AsSpan(i, Math.Min(33, eightK.Length - i)));
        }

        fbank.InputFinished();
        Assert.Equal(40, fbank.Dim);
        Assert.Equal(50, whole.Length); // round(4000 / 80)
        FeatureTestData.AssertBitwiseEqual(whole, FeatureTestData.ReadAll(fbank));
        Assert.All(whole, f => Assert.All(f, v => Assert.True(float.IsFinite(v) && v > -16f)));
    }

    [Fact]
    public void Dropping_frames_keeps_indices_and_later_frames_unchanged()
    {
        float[][] whole = FeatureTestData.WholeSignalFrames(Chirp);
        var fbank = new OnlineFbank(new FbankOptions());
        var frame = new float[fbank.Dim];
        int consumed = 0, released = 0;
        for (int i = 0; i < Chirp.Length; i += 320)
        {
            fbank.AcceptWaveform(Chirp.AsSpan(i, Math.Min(320, Chirp.Length - i)));
            for (; consumed < fbank.NumFramesReady; consumed++)
            {
                fbank.GetFrame(consumed, frame);
                Assert.Equal(whole[consumed], frame);
            }

            released = consumed - 3;
            fbank.DropFramesBefore(released);
            Assert.Equal(Math.Max(0, released), fbank.FirstRetainedFrame);
        }

        fbank.InputFinished();
        Assert.Equal(whole.Length, fbank.NumFramesReady);
        Assert.Equal(released, fbank.FirstRetainedFrame);
        Assert.Throws<ArgumentOutOfRangeException>(() => fbank.GetFrame(released - 1, frame));
        fbank.GetFrame(released, frame);
        Assert.Equal(whole[released], frame);
        fbank.GetFrame(whole.Length - 1, frame);
        Assert.Equal(whole[^1], frame);

        // Releasing beyond what exists only releases what exists.
        fbank.DropFramesBefore(int.MaxValue);
        Assert.Equal(whole.Length, fbank.FirstRetainedFrame);
        Assert.Throws<ArgumentOutOfRangeException>(() => fbank.GetFrame(whole.Length, frame));
    }

    [Fact]
    public void A_consumer_that_never_releases_frames_is_bounded_by_MaxRetainedFrames()
    {
        var fbank = new OnlineFbank(new FbankOptions { MaxRetainedFrames = 10 });
        fbank.AcceptWaveform(Chirp);
        fbank.InputFinished();

        Assert.Equal(60, fbank.NumFramesReady);
        Assert.Equal(50, fbank.FirstRetainedFrame);
        Assert.Equal(50, fbank.DiscardedFrames);
        var frame = new float[fbank.Dim];
        fbank.GetFrame(59, frame);
        Assert.Equal(FeatureTestData.WholeSignalFrames(Chirp)[59], frame);
    }

    [Fact]
    public void Empty_input_gives_no_frames_even_after_the_flush()
    {
        var fbank = new OnlineFbank(new FbankOptions());
        fbank.AcceptWaveform([]);
        Assert.Equal(0, fbank.NumFramesReady);
        fbank.InputFinished();
        Assert.Equal(0, fbank.NumFramesReady);
        Assert.False(fbank.IsLastFrame(0));
        Assert.False(fbank.IsLastFrame(-1));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(79, 0)]
    [InlineData(80, 1)]
    [InlineData(150, 1)]
    [InlineData(239, 1)]
    [InlineData(240, 2)]
    public void Very_short_signals_give_round_n_over_160_frames_all_finite(int samples, int frames)
    {
        var fbank = new OnlineFbank(new FbankOptions());
        fbank.AcceptWaveform(Chirp.AsSpan(2000, samples));
        fbank.InputFinished();

        Assert.Equal(frames, fbank.NumFramesReady);
        var frame = new float[fbank.Dim];
        for (int f = 0; f < frames; f++)
        {
            fbank.GetFrame(f, frame);
            Assert.All(frame, v => Assert.True(float.IsFinite(v)));
        }
    }

    [Fact]
    public void Input_after_InputFinished_is_refused_and_a_second_flush_does_nothing()
    {
        var fbank = new OnlineFbank(new FbankOptions());
        fbank.AcceptWaveform(Chirp.AsSpan(0, 1000));
        fbank.InputFinished();
        int frames = fbank.NumFramesReady;
        fbank.InputFinished();

        Assert.Equal(frames, fbank.NumFramesReady);
        Assert.Throws<InvalidOperationException>(() => fbank.AcceptWaveform(Chirp.AsSpan(0, 10)));
    }

    [Fact]
    public void NaN_and_infinite_samples_are_sanitised_and_counted_not_thrown()
    {
        float[] bad = Chirp.AsSpan(0, 2000).ToArray();
        bad[500] = float.NaN;
        bad[501] = float.PositiveInfinity;
        bad[502] = float.NegativeInfinity;
        bad[503] = 1e30f;

        var fbank = new OnlineFbank(new FbankOptions());
        fbank.AcceptWaveform(bad);
        fbank.InputFinished();

        Assert.Equal(4, fbank.SanitisedSamples);
        float[][] frames = FeatureTestData.ReadAll(fbank);
        Assert.All(frames, f => Assert.All(f, v => Assert.True(float.IsFinite(v))));

        // Same as feeding the sanitised values: NaN → 0, beyond ±MaxAbsSample → ±MaxAbsSample.
        bad[500] = 0;
        bad[501] = OnlineFbank.MaxAbsSample;
        bad[502] = -OnlineFbank.MaxAbsSample;
        bad[503] = OnlineFbank.MaxAbsSample;
        FeatureTestData.AssertBitwiseEqual(FeatureTestData.WholeSignalFrames(bad), frames);
    }

    [Fact]
    public void InputScale_32768_shifts_every_unfloored_log_mel_value_by_ln_32768_squared()
    {
        float[] x = FeatureTestData.ReadWav("fsdd_5_nicolas_2");
        float[][] unit = FeatureTestData.WholeSignalFrames(x);
        float[][] scaled = FeatureTestData.WholeSignalFrames(x, new FbankOptions { InputScale = 32768f });

        // Scaling by a power of two is exact in float, so only the log differs: 2·ln 32768 = 20.794.
        float shift = 2 * MathF.Log(32768f);
        for (int f = 0; f < unit.Length; f++)
        {
            for (int b = 0; b < 80; b++)
            {
                if (unit[f][b] > -15.9f)
                {
                    Assert.Equal(unit[f][b] + shift, scaled[f][b], 3);
                }
            }
        }
    }

    [Fact]
    public void Reset_starts_a_new_stream_with_identical_results()
    {
        var fbank = new OnlineFbank(new FbankOptions());
        fbank.AcceptWaveform(Chirp.AsSpan(0, 3000));
        fbank.InputFinished();
        fbank.Reset();

        Assert.Equal(0, fbank.NumFramesReady);
        fbank.AcceptWaveform(Chirp);
        fbank.InputFinished();
        FeatureTestData.AssertBitwiseEqual(FeatureTestData.WholeSignalFrames(Chirp), FeatureTestData.ReadAll(fbank));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    public void Unusable_options_are_refused_at_construction(float inputScale)
    {
        Assert.Throws<ArgumentException>(() => new OnlineFbank(new FbankOptions { InputScale = inputScale }));
        Assert.Throws<ArgumentException>(() => new OnlineFbank(new FbankOptions { Dither = 1f }));
        Assert.Throws<ArgumentException>(() => new OnlineFbank(new FbankOptions { NumBins = 300 }));
        Assert.Throws<ArgumentException>(() => new OnlineFbank(new FbankOptions { LowFreq = 7700 }));
    }

    [Fact]
    public void Destination_shorter_than_a_frame_is_refused()
    {
        var fbank = new OnlineFbank(new FbankOptions());
        fbank.AcceptWaveform(Chirp.AsSpan(0, 1000));
        Assert.Throws<ArgumentException>(() => fbank.GetFrame(0, new float[79]));
    }
}
