namespace WebRtcAsr.Speech.Transducer;

/// <summary>
/// sherpa-onnx's modified beam search: per encoder frame every live path of every stream goes through the
/// decoder and joiner; scores are the path's log probability plus the log-softmax of the logits; the best
/// <see cref="Beam"/> (path, token) pairs of each stream survive, blank and &lt;unk&gt; keeping the path's tokens;
/// paths that end up with the same tokens are merged by log-add (the first, higher-scoring one keeps its
/// timestamps). The result is the path with the best log probability per token (context included), as sherpa's
/// GetMostProbable(length_norm = true). Paths are pooled, so steady-state decoding allocates nothing.
/// </summary>
internal sealed class ModifiedBeamSearch : TransducerSearch
{
    private readonly Stack<TransducerHypothesis> pool = new();
    private readonly List<TransducerHypothesis> previous = new(64);
    private readonly int[] topK;
    private int[] rowSplits = new int[17];
    private float[] scores = [];
    private float[] logProbs = [];
    private int reserved;

    public ModifiedBeamSearch(ITransducerPredictor predictor, int unknownId, int beam, float temperature = 2f)
        : base(predictor, unknownId, temperature)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(beam, 1);
        Beam = beam;
        topK = new int[beam];
    }

    /// <summary>Paths kept per stream (sherpa-onnx's max_active_paths).</summary>
    public int Beam { get; }

    /// <summary>
    /// A new stream's state, plus <see cref="Beam"/> pooled paths for it (what a stream usually holds, and takes with
    /// it when dropped, so the pool neither drains nor grows as streams come and go): with <see cref="Reserve"/>, the
    /// pool then covers every stream's paths plus a batch's new paths, so decoding never allocates one. The one extra
    /// path a stream holds between an endpoint reset and its next chunk comes from the reserve.
    /// </summary>
    public override TransducerSearchState CreateState()
    {
        for (var i = 0; i < Beam; i++)
        {
            pool.Push(new TransducerHypothesis());
        }

        return base.CreateState();
    }

    /// <summary>
    /// Most paths a stream holds: <see cref="Beam"/>, or one more right after an endpoint reset (the start-of-stream
    /// path plus every old path cut to its context, as sherpa-onnx does), until the next frame prunes them.
    /// </summary>
    public int MaxPathsPerStream => Beam + 1;

    protected override int RowsPerStream => MaxPathsPerStream;

    public override void Reserve(int maxBatchSize)
    {
        base.Reserve(maxBatchSize);
        var rows = maxBatchSize * RowsPerStream;
        Grow(ref scores, rows * VocabSize);
        Grow(ref logProbs, rows * VocabSize);
        previous.EnsureCapacity(rows);
        if (rowSplits.Length < maxBatchSize + 1)
        {
            rowSplits = new int[maxBatchSize + 1];
        }

        while (reserved < rows)
        {
            pool.Push(new TransducerHypothesis());
            reserved++;
        }
    }

    public override TransducerHypothesis Best(TransducerSearchState state)
    {
        var hyps = state.Hyps;
        var best = hyps[0];
        var bestScore = best.LogProb / best.Ys.Count;
        for (var i = 1; i < hyps.Count; i++)
        {
            var score = hyps[i].LogProb / hyps[i].Ys.Count;
            if (bestScore < score)
            {
                best = hyps[i];
                bestScore = score;
            }
        }

        return best;
    }

    public override void Decode(ReadOnlySpan<float> encoderOut, int frames, ReadOnlySpan<TransducerSearchState> states)
    {
        var batch = states.Length;
        var encoderDim = Predictor.EncoderDim;
        if (rowSplits.Length < batch + 1)
        {
            rowSplits = new int[batch + 1];
        }

        for (var t = 0; t < frames; t++)
        {
            previous.Clear();
            rowSplits[0] = 0;
            for (var b = 0; b < batch; b++)
            {
                previous.AddRange(states[b].Hyps);
                rowSplits[b + 1] = previous.Count;
                states[b].Hyps.Clear();
            }

            var rows = previous.Count;
            var contexts = Contexts(rows);
            for (var i = 0; i < rows; i++)
            {
                previous[i].CopyContext(contexts.Slice(i * ContextSize, ContextSize), ContextSize);
            }

            var decoderOut = DecoderOut(rows);
            Predictor.RunDecoder(contexts, rows, decoderOut);

            var encoderRows = EncoderRows(rows);
            for (var b = 0; b < batch; b++)
            {
                var frame = encoderOut.Slice(((b * frames) + t) * encoderDim, encoderDim);
                for (var i = rowSplits[b]; i < rowSplits[b + 1]; i++)
                {
                    frame.CopyTo(encoderRows.Slice(i * encoderDim, encoderDim));
                }
            }

            var logits = Logits(rows);
            Predictor.RunJoiner(encoderRows, decoderOut, rows, logits);
            var logProb = Grow(ref logProbs, rows * VocabSize);
            logits.CopyTo(logProb);
            var score = Grow(ref scores, rows * VocabSize);
            for (var i = 0; i < rows; i++)
            {
                var row = logProb.Slice(i * VocabSize, VocabSize);
                LogMath.LogSoftmax(row);
                var pathLogProb = (float)previous[i].LogProb;
                var scoreRow = score.Slice(i * VocabSize, VocabSize);
                for (var k = 0; k < VocabSize; k++)
                {
                    scoreRow[k] = row[k] + pathLogProb;
                }
            }

            for (var b = 0; b < batch; b++)
            {
                var state = states[b];
                var start = rowSplits[b];
                var end = rowSplits[b + 1];
                var n = LogMath.TopK(score.Slice(start * VocabSize, (end - start) * VocabSize), topK);
                for (var j = 0; j < n; j++)
                {
                    var k = topK[j];
                    var hypIndex = (k / VocabSize) + start;
                    var token = k % VocabSize;
                    var hyp = Rent();
                    hyp.CopyFrom(previous[hypIndex]);
                    if (token != 0 && token != UnknownId)
                    {
                        hyp.Ys.Add(token);
                        hyp.Timestamps.Add(t + state.FrameOffset);
                        hyp.NumTrailingBlanks = 0;
                        var rawRow = logits.Slice((hypIndex * VocabSize), VocabSize);
                        hyp.TokenLogProbs.Add(LogMath.TemperatureLogProb(rawRow, token, Temperature));
                    }
                    else
                    {
                        hyp.NumTrailingBlanks++;
                    }

                    hyp.LogProb = score[(start * VocabSize) + k];
                    Add(state.Hyps, hyp);
                }
            }

            foreach (var h in previous)
            {
                pool.Push(h);
            }

            previous.Clear();
        }

        foreach (var s in states)
        {
            s.FrameOffset += frames;
        }
    }

    public override void ResetForNextSegment(TransducerSearchState state)
    {
        if (Best(state).Ys.Count <= ContextSize)
        {
            ResetToStart(state);
            return;
        }

        // As sherpa-onnx: the new segment's paths are the start-of-stream path (log probability 0) plus every
        // old path cut to its last ContextSize tokens, keeping its log probability; equal contexts merge.
        previous.Clear();
        previous.AddRange(state.Hyps);
        state.Hyps.Clear();
        Span<long> context = stackalloc long[ContextSize];
        context.Fill(-1);
        context[^1] = 0;
        var start = Rent();
        start.Start(context, 0);
        state.Hyps.Add(start);
        foreach (var old in previous)
        {
            old.CopyContext(context, ContextSize);
            var h = Rent();
            h.Start(context, old.LogProb);
            Add(state.Hyps, h);
            pool.Push(old);
        }

        previous.Clear();
        state.FrameOffset = 0;
    }

    protected override void ClearHyps(TransducerSearchState state)
    {
        foreach (var h in state.Hyps)
        {
            pool.Push(h);
        }

        state.Hyps.Clear();
    }

    protected override TransducerHypothesis Rent() => pool.Count > 0 ? pool.Pop() : new TransducerHypothesis();

    private void Add(List<TransducerHypothesis> hyps, TransducerHypothesis hyp)
    {
        foreach (var existing in hyps)
        {
            if (existing.HasSameTokens(hyp))
            {
                existing.LogProb = LogMath.LogAdd(existing.LogProb, hyp.LogProb);
                pool.Push(hyp);
                return;
            }
        }

        hyps.Add(hyp);
    }
}
