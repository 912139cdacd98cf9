using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Speech.Tests.Transducer;

/// <summary>
/// A hand-made transducer prediction side for search tests: the "encoder frame" already holds one logit per
/// token; the decoder output is a per-token bias chosen from the last context token; the joiner adds the two.
/// </summary>
internal sealed class TablePredictor(int vocab, int contextSize, Func<long, float[]>? biasForLastToken = null) : ITransducerPredictor
{
    public int ContextSize => contextSize;

    public int VocabSize => vocab;

    public int EncoderDim => vocab;

    public int DecoderDim => vocab;

    public List<long[]> DecoderContexts { get; } = [];

    public void RunDecoder(ReadOnlySpan<long> contexts, int rows, Span<float> decoderOut)
    {
        for (var r = 0; r < rows; r++)
        {
            var context = contexts.Slice(r * contextSize, contextSize).ToArray();
            DecoderContexts.Add(context);
            var bias = biasForLastToken?.Invoke(context[^1]) ?? new float[vocab];
            bias.CopyTo(decoderOut.Slice(r * vocab, vocab));
        }
    }

    public void RunJoiner(ReadOnlySpan<float> encoderFrames, ReadOnlySpan<float> decoderOut, int rows, Span<float> logits)
    {
        for (var i = 0; i < rows * vocab; i++)
        {
            logits[i] = encoderFrames[i] + decoderOut[i];
        }
    }
}
