namespace WebRtcAsr.Speech.Transducer;

/// <summary>
/// One path of a search: the token ids so far (led by ContextSize context entries, -1… then blank 0 at the
/// start of a stream, as sherpa-onnx does), the encoder frame of each emitted token, each token's log posterior,
/// the path's total log probability and how many blanks it has seen since its last token.
/// </summary>
internal sealed class TransducerHypothesis
{
    public List<long> Ys { get; } = new(64);

    /// <summary>Encoder output frame (after subsampling, from the segment start) of each emitted token.</summary>
    public List<int> Timestamps { get; } = new(64);

    /// <summary>Log posterior (log-softmax of the joiner output) of each emitted token.</summary>
    public List<float> TokenLogProbs { get; } = new(64);

    public double LogProb { get; set; }

    public int NumTrailingBlanks { get; set; }

    /// <summary>Tokens emitted (Ys without the leading context).</summary>
    public int TokenCount(int contextSize) => Ys.Count - contextSize;

    public void CopyFrom(TransducerHypothesis other)
    {
        Ys.Clear();
        Ys.AddRange(other.Ys);
        Timestamps.Clear();
        Timestamps.AddRange(other.Timestamps);
        TokenLogProbs.Clear();
        TokenLogProbs.AddRange(other.TokenLogProbs);
        LogProb = other.LogProb;
        NumTrailingBlanks = other.NumTrailingBlanks;
    }

    /// <summary>Starts a path from a context (the start-of-stream blanks, or the last tokens of the previous segment).</summary>
    public void Start(ReadOnlySpan<long> context, double logProb)
    {
        Ys.Clear();
        foreach (var y in context)
        {
            Ys.Add(y);
        }

        Timestamps.Clear();
        TokenLogProbs.Clear();
        LogProb = logProb;
        NumTrailingBlanks = 0;
    }

    public bool HasSameTokens(TransducerHypothesis other)
    {
        if (Ys.Count != other.Ys.Count)
        {
            return false;
        }

        for (var i = Ys.Count - 1; i >= 0; i--)
        {
            if (Ys[i] != other.Ys[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes the last <paramref name="contextSize"/> tokens (the decoder input).</summary>
    public void CopyContext(Span<long> destination, int contextSize)
    {
        var start = Ys.Count - contextSize;
        for (var i = 0; i < contextSize; i++)
        {
            destination[i] = Ys[start + i];
        }
    }
}
