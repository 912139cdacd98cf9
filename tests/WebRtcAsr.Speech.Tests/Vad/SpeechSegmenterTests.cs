using WebRtcAsr.Speech.Vad;

namespace WebRtcAsr.Speech.Tests.Vad;

public class SpeechSegmenterTests
{
    // Windows of 512 samples = 32 ms. These options make the arithmetic easy to follow:
    // min speech 4 windows (128 ms → 2048 samples), min silence 3 windows (96 ms → 1536), pad 16 ms (256).
    private static readonly VadOptions Options = new() { MinSpeechMs = 128, MinSilenceMs = 96, SpeechPadMs = 16 };

    [Fact]
    public void A_blip_shorter_than_the_minimum_speech_is_never_reported()
    {
        var segmenter = new SpeechSegmenter(Options);
        var decisions = Push(segmenter, [0, 0.9f, 0.9f, 0.9f, 0, 0, 0, 0, 0, 0]);
        Assert.All(decisions, d => Assert.Equal(SpeechSegmentDecision.None, d));
        Assert.False(segmenter.IsSpeaking);
        Assert.False(segmenter.HasCandidate);
    }

    [Fact]
    public void Speech_starts_at_its_first_window_less_the_pad_once_it_lasted_the_minimum()
    {
        var segmenter = new SpeechSegmenter(Options);
        var decisions = Push(segmenter, [0, 0, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f]);
        Assert.Equal(SpeechSegmentDecision.Started, decisions[5]);   // windows 2..5 = 4 windows
        Assert.Equal((2 * 512) - 256, segmenter.LastStart.StreamSample);
        Assert.Equal(6 * 512, segmenter.LastStart.DecidedAtSample);
        Assert.Equal(1, decisions.Count(d => d != SpeechSegmentDecision.None));
    }

    [Fact]
    public void The_first_start_is_not_padded_before_the_stream()
    {
        var segmenter = new SpeechSegmenter(Options);
        var decisions = Push(segmenter, [0.9f, 0.9f, 0.9f, 0.9f]);
        Assert.Equal(SpeechSegmentDecision.Started, decisions[3]);
        Assert.Equal(0, segmenter.LastStart.StreamSample);
    }

    [Fact]
    public void Between_the_two_thresholds_speech_goes_on_and_a_pause_goes_on()
    {
        var segmenter = new SpeechSegmenter(Options);   // thresholds 0.5 and 0.35
        // Speech, then 0.4s (between): still speech and counted toward the minimum.
        var decisions = Push(segmenter, [0.9f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f]);
        Assert.Equal(SpeechSegmentDecision.Started, decisions[3]);
        Assert.True(segmenter.IsSpeaking);
        // A pause (0.1) then 0.4s: the pause is not cleared by 0.4, so speech ends 3 windows after it began.
        decisions = Push(segmenter, [0.1f, 0.4f, 0.4f, 0.4f]);
        Assert.Equal([SpeechSegmentDecision.None, SpeechSegmentDecision.None, SpeechSegmentDecision.None, SpeechSegmentDecision.Ended], decisions);
        Assert.Equal((8 * 512) + 256, segmenter.LastEnd.StreamSample);
        Assert.Equal(12 * 512, segmenter.LastEnd.DecidedAtSample);
    }

    [Fact]
    public void A_pause_shorter_than_the_minimum_silence_does_not_end_speech()
    {
        var segmenter = new SpeechSegmenter(Options);
        Push(segmenter, [0.9f, 0.9f, 0.9f, 0.9f]);
        var decisions = Push(segmenter, [0.1f, 0.1f, 0.1f, 0.9f, 0.1f, 0.1f, 0.1f]);
        Assert.All(decisions, d => Assert.Equal(SpeechSegmentDecision.None, d));
        Assert.True(segmenter.IsSpeaking);
        Assert.Equal(SpeechSegmentDecision.Ended, segmenter.Push(0.1f));
        Assert.Equal((8 * 512) + 256, segmenter.LastEnd.StreamSample);   // the pause began at window 8
    }

    [Fact]
    public void A_candidate_with_a_short_pause_in_it_still_becomes_speech()
    {
        var segmenter = new SpeechSegmenter(Options);
        var decisions = Push(segmenter, [0.9f, 0.9f, 0.1f, 0.1f, 0.9f]);
        // Length counts from the candidate's first window; confirmed at the first window out of the pause.
        Assert.Equal(SpeechSegmentDecision.Started, decisions[4]);
        Assert.Equal(0, segmenter.LastStart.StreamSample);
    }

    [Fact]
    public void A_start_is_never_padded_back_into_the_previous_segment()
    {
        var options = Options with { SpeechPadMs = 96 };   // pad = min silence: 1536 samples
        var segmenter = new SpeechSegmenter(options);
        Push(segmenter, [0.9f, 0.9f, 0.9f, 0.9f, 0.1f, 0.1f, 0.1f]);
        Assert.Equal(SpeechSegmentDecision.Ended, segmenter.Push(0.1f));
        long end = segmenter.LastEnd.StreamSample;
        Assert.Equal((4 * 512) + 1536, end);
        var decisions = Push(segmenter, [0.9f, 0.9f, 0.9f, 0.9f]);
        Assert.Equal(SpeechSegmentDecision.Started, decisions[3]);
        Assert.Equal(end, segmenter.LastStart.StreamSample);
    }

    [Fact]
    public void Finish_ends_open_speech_at_the_stream_end_or_at_its_pause()
    {
        var segmenter = new SpeechSegmenter(Options);
        Push(segmenter, [0.9f, 0.9f, 0.9f, 0.9f, 0.9f]);
        Assert.True(segmenter.Finish(5 * 512 + 100));
        Assert.Equal(5 * 512 + 100, segmenter.LastEnd.StreamSample);
        Assert.False(segmenter.IsSpeaking);

        segmenter.Reset();
        Push(segmenter, [0.9f, 0.9f, 0.9f, 0.9f, 0.1f]);
        Assert.True(segmenter.Finish(5 * 512));
        Assert.Equal((4 * 512) + 256, segmenter.LastEnd.StreamSample);

        segmenter.Reset();
        Push(segmenter, [0.9f, 0.9f]);
        Assert.False(segmenter.Finish(2 * 512));   // a candidate is dropped
    }

    [Fact]
    public void Reset_starts_counting_from_sample_zero()
    {
        var segmenter = new SpeechSegmenter(Options);
        Push(segmenter, [0.9f, 0.9f, 0.9f, 0.9f, 0.9f]);
        segmenter.Reset();
        Assert.Equal(0, segmenter.Position);
        Assert.False(segmenter.IsSpeaking);
        var decisions = Push(segmenter, [0, 0.9f, 0.9f, 0.9f, 0.9f]);
        Assert.Equal(SpeechSegmentDecision.Started, decisions[4]);
        Assert.Equal(512 - 256, segmenter.LastStart.StreamSample);
    }

    [Theory]
    [InlineData(0f, null, 200, 400, 30)]
    [InlineData(1f, null, 200, 400, 30)]
    [InlineData(0.5f, 0.6f, 200, 400, 30)]
    [InlineData(0.5f, null, -1, 400, 30)]
    [InlineData(0.5f, null, 200, 400, 500)]
    [InlineData(0.5f, null, 200, 6000, 30)]
    public void Options_out_of_range_are_refused(float threshold, float? negative, int minSpeech, int minSilence, int pad)
    {
        var options = new VadOptions { Threshold = threshold, NegativeThreshold = negative, MinSpeechMs = minSpeech, MinSilenceMs = minSilence, SpeechPadMs = pad };
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpeechSegmenter(options));
    }

    [Fact]
    public void The_negative_threshold_defaults_to_upstreams()
    {
        Assert.Equal(0.35f, new VadOptions().EffectiveNegativeThreshold, 6);
        Assert.Equal(0.01f, new VadOptions { Threshold = 0.1f }.EffectiveNegativeThreshold, 6);
        Assert.Equal(0.2f, new VadOptions { NegativeThreshold = 0.2f }.EffectiveNegativeThreshold, 6);
    }

    private static SpeechSegmentDecision[] Push(SpeechSegmenter segmenter, float[] probabilities) =>
        probabilities.Select(segmenter.Push).ToArray();
}
