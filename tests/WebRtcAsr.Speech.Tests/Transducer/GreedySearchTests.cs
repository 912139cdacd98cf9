using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Speech.Tests.Transducer;

public class GreedySearchTests
{
    // Tokens: 0 blank, 1 a, 2 b, 3 <unk>. The decoder discourages blank right after the start context.
    private static TablePredictor Predictor() => new(4, 2, last => last == 0 ? [-2f, 0, 0, 0] : [0f, 0, 0, 0]);

    private static float[] Frames(params float[][] frames) => frames.SelectMany(f => f).ToArray();

    [Fact]
    public void EmitsArgmaxTokensWithFrameTimestampsAcrossChunksAndTreatsUnkAsBlank()
    {
        var predictor = Predictor();
        var search = new GreedySearch(predictor, unknownId: 3);
        var state = search.CreateState();
        search.Decode(Frames([0, 5, 0, 0], [1, 0, 0, 0], [0, 0, 3, 0]), 3, [state]);
        search.Decode(Frames([0, 0, 0, 9], [0, 4, 0, 0]), 2, [state]);

        var best = search.Best(state);
        Assert.Equal([-1L, 0, 1, 2, 1], best.Ys);
        Assert.Equal([0, 2, 4], best.Timestamps);
        Assert.Equal(0, best.NumTrailingBlanks);
        Assert.Equal(5, state.FrameOffset);

        // The first token's posterior: softmax of (frame + start-context bias) = [-2, 5, 0, 0].
        var expected = 5 - Math.Log(Math.Exp(-2) + Math.Exp(5) + 2);
        Assert.Equal(expected, best.TokenLogProbs[0], 5);

        // The decoder saw the start context (-1, 0), then each new context once.
        Assert.Equal([-1L, 0], predictor.DecoderContexts[0]);
        Assert.Equal([0L, 1], predictor.DecoderContexts[1]);
        Assert.Equal([1L, 2], predictor.DecoderContexts[2]);
        Assert.Equal([2L, 1], predictor.DecoderContexts[3]);
        Assert.Equal(4, predictor.DecoderContexts.Count);
    }

    [Fact]
    public void BatchGivesEachStreamWhatItGetsAlone()
    {
        var random = new Random(7);
        var a = RandomFrames(random, 6, 5);
        var b = RandomFrames(random, 6, 5);
        var batchSearch = new GreedySearch(new TablePredictor(5, 2), -1);
        var s1 = batchSearch.CreateState();
        var s2 = batchSearch.CreateState();
        batchSearch.Decode(a.Concat(b).ToArray(), 6, [s1, s2]);

        foreach (var (frames, state) in new[] { (a, s1), (b, s2) })
        {
            var alone = new GreedySearch(new TablePredictor(5, 2), -1);
            var s = alone.CreateState();
            alone.Decode(frames, 6, [s]);
            Assert.Equal(alone.Best(s).Ys, batchSearch.Best(state).Ys);
            Assert.Equal(alone.Best(s).Timestamps, batchSearch.Best(state).Timestamps);
        }
    }

    [Fact]
    public void ResetKeepsTheLastTokensAsContextAndRestartsTimestamps()
    {
        var search = new GreedySearch(Predictor(), 3);
        var state = search.CreateState();
        search.Decode(Frames([0, 5, 0, 0], [0, 0, 6, 0], [9, 0, 0, 0]), 3, [state]);
        search.ResetForNextSegment(state);
        Assert.Equal([1L, 2], search.Best(state).Ys);
        Assert.Empty(search.Best(state).Timestamps);
        Assert.Equal(0, state.FrameOffset);

        search.ResetForNextSegment(state); // nothing new decoded: back to the start context
        Assert.Equal([-1L, 0], search.Best(state).Ys);
    }

    internal static float[] RandomFrames(Random random, int frames, int vocab)
    {
        var data = new float[frames * vocab];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)(random.NextDouble() * 4);
        }

        return data;
    }
}
