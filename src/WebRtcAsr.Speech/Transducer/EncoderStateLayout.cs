namespace WebRtcAsr.Speech.Transducer;

/// <summary>
/// All cached states of a streaming encoder, in the encoder's input order. One stream keeps its states in a
/// single byte buffer (each state at <see cref="Offset"/>, laid out as for batch size 1); a batch is made by
/// interleaving the streams along each state's batch axis, and split back the same way.
/// </summary>
internal sealed class EncoderStateLayout
{
    private readonly EncoderStateTensor[] states;
    private readonly int[] offsets;

    public EncoderStateLayout(IReadOnlyList<EncoderStateTensor> states)
    {
        this.states = [.. states];
        offsets = new int[this.states.Length];
        var offset = 0;
        for (var i = 0; i < this.states.Length; i++)
        {
            offsets[i] = offset;
            offset = checked(offset + this.states[i].StreamBytes);
        }

        StreamBytes = offset;
    }

    public int Count => states.Length;

    public EncoderStateTensor this[int index] => states[index];

    /// <summary>Bytes of all states of one stream.</summary>
    public int StreamBytes { get; }

    /// <summary>Where state <paramref name="index"/> starts in a stream's buffer.</summary>
    public int Offset(int index) => offsets[index];

    /// <summary>Copies state <paramref name="index"/> of every stream into the batched tensor data <paramref name="batched"/>.</summary>
    public void Stack(int index, ReadOnlySpan<byte[]> streamStates, Span<byte> batched)
    {
        var s = states[index];
        var batch = streamStates.Length;
        var inner = s.InnerBytes;
        var baseOffset = offsets[index];
        for (var b = 0; b < batch; b++)
        {
            var src = streamStates[b].AsSpan(baseOffset, s.StreamBytes);
            for (var o = 0; o < s.Outer; o++)
            {
                src.Slice(o * inner, inner).CopyTo(batched.Slice(((o * batch) + b) * inner, inner));
            }
        }
    }

    /// <summary>Copies state <paramref name="index"/> of every stream out of the batched tensor data <paramref name="batched"/>.</summary>
    public void Split(int index, ReadOnlySpan<byte> batched, ReadOnlySpan<byte[]> streamStates)
    {
        var s = states[index];
        var batch = streamStates.Length;
        var inner = s.InnerBytes;
        var baseOffset = offsets[index];
        for (var b = 0; b < batch; b++)
        {
            var dst = streamStates[b].AsSpan(baseOffset, s.StreamBytes);
            for (var o = 0; o < s.Outer; o++)
            {
                batched.Slice(((o * batch) + b) * inner, inner).CopyTo(dst.Slice(o * inner, inner));
            }
        }
    }

    /// <summary>A stream's initial states: all zeros, as sherpa-onnx initialises every state of the zipformer, zipformer2 and LSTM encoders (cached_len included).</summary>
    public byte[] CreateInitialStates() => new byte[StreamBytes];
}
