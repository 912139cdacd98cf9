using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Speech.Recognition;

/// <summary>
/// Makes a stream's <see cref="RecognitionResult"/> from its best hypothesis, redoing only what changed since the
/// last result: the same result object when nothing did (no allocation), else the tokens and words that stayed
/// are kept (shared arrays, same word instances, see <see cref="PublishedPrefixList{T}"/>) and the text is built
/// again only when the token ids changed. One per stream, used from the stream's own logical thread.
/// </summary>
internal sealed class RecognitionResultBuilder
{
    private const int InitialCapacity = 64;
    private readonly PublishedPrefixList<RecognizedToken> tokens = new(InitialCapacity);
    private readonly PublishedPrefixList<RecognizedWord> words = new(16);

    // What the last result was made from: each token's id, encoder frame and log posterior.
    private long[] ids = new long[InitialCapacity];
    private int[] frames = new int[InitialCapacity];
    private float[] logProbs = new float[InitialCapacity];
    private int count;
    private char[] chars = new char[256];
    private RecognitionResult? last;

    /// <summary>The result for <paramref name="hyp"/>; <paramref name="changed"/> is false when it is the last one again.</summary>
    public RecognitionResult Build(TransducerHypothesis hyp, TransducerModel model, int segment, int segmentStartFrame, bool isFinal, out bool changed)
    {
        var contextSize = model.ContextSize;
        var n = hyp.TokenCount(contextSize);
        var segmentStart = segmentStartFrame * 10 / 1000.0;
        var firstId = 0;
        while (firstId < Math.Min(n, count) && hyp.Ys[contextSize + firstId] == ids[firstId])
        {
            firstId++;
        }

        var first = 0;
        while (first < firstId && hyp.Timestamps[first] == frames[first] && SameBits(LogProb(hyp, first), logProbs[first]))
        {
            first++;
        }

        if (last is { } previous && first == n && n == count && previous.Segment == segment && previous.SegmentStart == segmentStart)
        {
            changed = previous.IsFinal != isFinal;
            if (changed)
            {
                last = previous with { IsFinal = isFinal };
            }

            return last;
        }

        Remember(hyp, contextSize, first, n);
        var frameSeconds = (float)(10 / 1000.0 * model.SubsamplingFactor);
        var table = model.Tokens;
        tokens.Truncate(first);
        for (var i = first; i < n; i++)
        {
            var id = (int)ids[i];
            var probability = float.IsNaN(logProbs[i]) ? 0f : MathF.Exp(logProbs[i]);
            tokens.Add(new RecognizedToken(id, table.DisplaySymbol(id), frameSeconds * frames[i], probability));
        }

        var tokenView = tokens.Publish();
        var text = last is { } before && firstId == n && before.Tokens.Count == n ? before.Text : Text(table, n);
        WordAssembler.AssembleInto(words, ref chars, table, tokens.AsSpan(), segmentStart, frameSeconds);
        last = new RecognitionResult(text, tokenView, words.Publish(), segment, segmentStart, isFinal);
        changed = true;
        return last;
    }

    // NaN marks a token without a posterior (its probability reads 0); compared by bits so that it equals itself.
    private static float LogProb(TransducerHypothesis hyp, int i) => i < hyp.TokenLogProbs.Count ? hyp.TokenLogProbs[i] : float.NaN;

    private static bool SameBits(float a, float b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b);

    private void Remember(TransducerHypothesis hyp, int contextSize, int from, int n)
    {
        if (n > ids.Length)
        {
            var size = Math.Max(n, ids.Length * 2);
            Array.Resize(ref ids, size);
            Array.Resize(ref frames, size);
            Array.Resize(ref logProbs, size);
        }

        for (var i = from; i < n; i++)
        {
            ids[i] = hyp.Ys[contextSize + i];
            frames[i] = hyp.Timestamps[i];
            logProbs[i] = LogProb(hyp, i);
        }

        count = n;
    }

    // The tokens' display symbols joined, without the leading space of the first word (as sherpa-onnx does).
    private string Text(TokenTable table, int n)
    {
        var length = 0;
        for (var i = 0; i < n; i++)
        {
            var symbol = table.DisplaySymbol((int)ids[i]);
            if (length + symbol.Length > chars.Length)
            {
                Array.Resize(ref chars, Math.Max(chars.Length * 2, length + symbol.Length));
            }

            symbol.CopyTo(chars.AsSpan(length));
            length += symbol.Length;
        }

        var text = chars.AsSpan(0, length).TrimStart(' ');
        return text.IsEmpty ? string.Empty : text.ToString();
    }
}
