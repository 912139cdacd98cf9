namespace WebRtcAsr.Speech.Transducer;

/// <summary>
/// sherpa-onnx's greedy search: per encoder frame, the joiner's argmax; a token other than blank (0) and
/// &lt;unk&gt; is emitted at that frame and the decoder is re-run for the batch. The decoder output is cached per
/// stream between chunks.
/// </summary>
internal sealed class GreedySearch(ITransducerPredictor predictor, int unknownId) : TransducerSearch(predictor, unknownId)
{
    public override TransducerHypothesis Best(TransducerSearchState state) => state.Hyps[0];

    public override void Decode(ReadOnlySpan<float> encoderOut, int frames, ReadOnlySpan<TransducerSearchState> states)
    {
        var batch = states.Length;
        var encoderDim = Predictor.EncoderDim;
        var decoderDim = Predictor.DecoderDim;
        var decoderOut = DecoderOut(batch);
        var allCached = true;
        foreach (var s in states)
        {
            allCached &= s.HasCachedDecoderOut;
        }

        if (allCached)
        {
            for (var b = 0; b < batch; b++)
            {
                states[b].CachedDecoderOut.AsSpan(0, decoderDim).CopyTo(decoderOut.Slice(b * decoderDim, decoderDim));
            }
        }
        else
        {
            RunDecoder(states, decoderOut);
        }

        var encoderRows = EncoderRows(batch);
        var logits = Logits(batch);
        for (var t = 0; t < frames; t++)
        {
            for (var b = 0; b < batch; b++)
            {
                encoderOut.Slice(((b * frames) + t) * encoderDim, encoderDim).CopyTo(encoderRows.Slice(b * encoderDim, encoderDim));
            }

            Predictor.RunJoiner(encoderRows, decoderOut, batch, logits);
            var emitted = false;
            for (var b = 0; b < batch; b++)
            {
                var state = states[b];
                var hyp = state.Hyps[0];
                var row = logits.Slice(b * VocabSize, VocabSize);
                var y = LogMath.ArgMax(row);
                if (y != 0 && y != UnknownId)
                {
                    emitted = true;
                    hyp.Ys.Add(y);
                    hyp.Timestamps.Add(t + state.FrameOffset);
                    hyp.NumTrailingBlanks = 0;
                    LogMath.LogSoftmax(row);
                    hyp.TokenLogProbs.Add(row[y]);
                }
                else
                {
                    hyp.NumTrailingBlanks++;
                }
            }

            if (emitted)
            {
                RunDecoder(states, decoderOut);
            }
        }

        for (var b = 0; b < batch; b++)
        {
            var state = states[b];
            if (state.CachedDecoderOut is null || state.CachedDecoderOut.Length != decoderDim)
            {
                state.CachedDecoderOut = new float[decoderDim];
            }

            decoderOut.Slice(b * decoderDim, decoderDim).CopyTo(state.CachedDecoderOut);
            state.HasCachedDecoderOut = true;
            state.FrameOffset += frames;
        }
    }

    public override void ResetForNextSegment(TransducerSearchState state)
    {
        var last = state.Hyps[0];
        if (last.Ys.Count > ContextSize)
        {
            Span<long> context = stackalloc long[ContextSize];
            last.CopyContext(context, ContextSize);
            last.Start(context, 0);
            state.FrameOffset = 0;
            state.HasCachedDecoderOut = false;
        }
        else
        {
            ResetToStart(state);
        }
    }

    private void RunDecoder(ReadOnlySpan<TransducerSearchState> states, Span<float> decoderOut)
    {
        var batch = states.Length;
        var contexts = Contexts(batch);
        for (var b = 0; b < batch; b++)
        {
            states[b].Hyps[0].CopyContext(contexts.Slice(b * ContextSize, ContextSize), ContextSize);
        }

        Predictor.RunDecoder(contexts, batch, decoderOut);
    }
}
