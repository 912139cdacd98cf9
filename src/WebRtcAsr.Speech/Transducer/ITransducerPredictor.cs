namespace WebRtcAsr.Speech.Transducer;

/// <summary>
/// The prediction side of a transducer as the searches see it: the decoder (token context → vector) and the
/// joiner (encoder frame + decoder vector → logits), both on rows of a batch.
/// </summary>
internal interface ITransducerPredictor
{
    int ContextSize { get; }

    int VocabSize { get; }

    int EncoderDim { get; }

    int DecoderDim { get; }

    /// <summary>Runs the decoder on <paramref name="rows"/> contexts of <see cref="ContextSize"/> tokens each.</summary>
    void RunDecoder(ReadOnlySpan<long> contexts, int rows, Span<float> decoderOut);

    /// <summary>Runs the joiner on <paramref name="rows"/> pairs of encoder frame and decoder output.</summary>
    void RunJoiner(ReadOnlySpan<float> encoderFrames, ReadOnlySpan<float> decoderOut, int rows, Span<float> logits);
}
