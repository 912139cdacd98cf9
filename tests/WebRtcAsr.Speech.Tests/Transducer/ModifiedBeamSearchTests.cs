using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Speech.Tests.Transducer;

public class ModifiedBeamSearchTests
{
    [Fact]
    public void BeamOfOneFollowsGreedySearch()
    {
        var random = new Random(11);
        Func<long, float[]> bias = last => [0f, last == 1 ? -1f : 0f, last == 2 ? -1f : 0f, 0f, 0f, 0f];
        var greedy = new GreedySearch(new TablePredictor(6, 2, bias), -1);
        var beam = new ModifiedBeamSearch(new TablePredictor(6, 2, bias), -1, 1);
        var g = greedy.CreateState();
        var m = beam.CreateState();
        for (var chunk = 0; chunk < 4; chunk++)
        {
            var frames = GreedySearchTests.RandomFrames(random, 8, 6);
            greedy.Decode(frames, 8, [g]);
            beam.Decode(frames, 8, [m]);
        }

        Assert.True(greedy.Best(g).Ys.Count > 5);
        Assert.Equal(greedy.Best(g).Ys, beam.Best(m).Ys);
        Assert.Equal(greedy.Best(g).Timestamps, beam.Best(m).Timestamps);
    }

    [Fact]
    public void EqualTokenSequencesMergeByLogAddAndTheBestIsLengthNormalised()
    {
        // Tokens: 0 blank, 1 a, 2 b; context-free decoder, so each frame's posteriors are the frame's.
        var beam = new ModifiedBeamSearch(new TablePredictor(3, 1), -1, 4);
        var state = beam.CreateState();
        float[] frames = [MathF.Log(0.6f), MathF.Log(0.4f), -30f, MathF.Log(0.7f), MathF.Log(0.3f), -30f];
        beam.Decode(frames, 2, [state]);

        // Frame 1 candidates: [] .42, [a]+blank .28 (a at frame 0), []+a .18 (a at frame 1), [a,a] .12.
        Assert.Equal(3, state.Hyps.Count);
        var a = state.Hyps.Single(h => h.Ys.Count == 2);
        Assert.Equal(Math.Log(0.46), a.LogProb, 4);
        Assert.Equal([0], a.Timestamps); // the higher-scoring path keeps its timestamps
        Assert.Equal(1, a.NumTrailingBlanks);

        var best = beam.Best(state); // log(.46)/2 beats log(.42)/1 and log(.12)/3
        Assert.Same(a, best);
        Assert.Equal(Math.Log(0.4), best.TokenLogProbs[0], 4);
    }

    [Fact]
    public void BatchGivesEachStreamWhatItGetsAlone()
    {
        var random = new Random(3);
        var x = GreedySearchTests.RandomFrames(random, 5, 5);
        var y = GreedySearchTests.RandomFrames(random, 5, 5);
        Func<long, float[]> bias = last => [0.5f, last == 3 ? -2f : 0f, 0f, 0f, 0f];
        var batch = new ModifiedBeamSearch(new TablePredictor(5, 2, bias), -1, 4);
        var s1 = batch.CreateState();
        var s2 = batch.CreateState();
        batch.Decode(x.Concat(y).ToArray(), 5, [s1, s2]);
        batch.Decode(y.Concat(x).ToArray(), 5, [s1, s2]);

        var alone = new ModifiedBeamSearch(new TablePredictor(5, 2, bias), -1, 4);
        var a1 = alone.CreateState();
        alone.Decode(x, 5, [a1]);
        alone.Decode(y, 5, [a1]);
        Assert.Equal(alone.Best(a1).Ys, batch.Best(s1).Ys);
        Assert.Equal(alone.Best(a1).Timestamps, batch.Best(s1).Timestamps);
        Assert.Equal(alone.Best(a1).LogProb, batch.Best(s1).LogProb);
    }

    [Fact]
    public void ResetTruncatesEveryPathToItsContextKeepingLogProbs()
    {
        var beam = new ModifiedBeamSearch(new TablePredictor(3, 1), -1, 4);
        var state = beam.CreateState();
        beam.Decode([MathF.Log(0.6f), MathF.Log(0.4f), -30f, MathF.Log(0.7f), MathF.Log(0.3f), -30f], 2, [state]);
        beam.ResetForNextSegment(state);

        // [] → (0), [a] and [a,a] → (1) merged.
        Assert.Equal(2, state.Hyps.Count);
        var a = state.Hyps.Single(h => h.Ys[0] == 1);
        Assert.Equal(Math.Log(0.46 + 0.12), a.LogProb, 4);
        Assert.Empty(a.Timestamps);
        Assert.Equal(0, state.FrameOffset);
    }
}
