using WebRtcAsr.Speech.Vad;

namespace WebRtcAsr.Speech.Tests.Vad;

public class GatedTimelineTests
{
    [Fact]
    public void Gated_positions_map_back_across_the_gaps()
    {
        var timeline = new GatedTimeline();
        timeline.Append(1000, 300);   // gated [0, 300) = stream [1000, 1300)
        timeline.Append(1300, 200);   // contiguous: same run, gated [300, 500) = stream [1300, 1500)
        timeline.Append(9000, 400);   // after a gap: gated [500, 900) = stream [9000, 9400)
        Assert.Equal(900, timeline.GatedLength);
        Assert.Equal(1000, timeline.ToStreamSample(0));
        Assert.Equal(1450, timeline.ToStreamSample(450));
        Assert.Equal(9000, timeline.ToStreamSample(500));
        Assert.Equal(9399, timeline.ToStreamSample(899));
        Assert.Equal(9400, timeline.ToStreamSample(900));
        Assert.Equal(TimeSpan.FromMilliseconds(562.5), timeline.ToStreamTime(500));
    }

    [Fact]
    public void Only_the_newest_runs_are_kept_and_older_positions_map_through_the_oldest()
    {
        var timeline = new GatedTimeline(maxRuns: 2);
        timeline.Append(0, 100);
        timeline.Append(1000, 100);
        timeline.Append(5000, 100);
        Assert.Equal(5050, timeline.ToStreamSample(250));
        Assert.Equal(1050, timeline.ToStreamSample(150));
        Assert.Equal(950, timeline.ToStreamSample(50));   // its own run is gone: extrapolated from the oldest kept
    }

    [Fact]
    public void Audio_that_goes_back_in_the_stream_is_refused()
    {
        var timeline = new GatedTimeline();
        timeline.Append(1000, 300);
        Assert.Throws<ArgumentOutOfRangeException>(() => timeline.Append(1200, 10));
    }

    [Fact]
    public void Reset_forgets_every_run()
    {
        var timeline = new GatedTimeline();
        timeline.Append(1000, 300);
        timeline.Reset();
        Assert.Equal(0, timeline.GatedLength);
        timeline.Append(50, 10);
        Assert.Equal(55, timeline.ToStreamSample(5));
    }
}
