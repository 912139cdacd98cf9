namespace WebRtcAsr.Speech.Transducer;

/// <summary>The search state of one stream for the current segment: its live paths and the frame count so far.</summary>
internal sealed class TransducerSearchState
{
    /// <summary>Live paths; greedy search keeps exactly one.</summary>
    public List<TransducerHypothesis> Hyps { get; } = new(8);

    /// <summary>Encoder output frames decoded in this segment (the offset of the next chunk's timestamps).</summary>
    public int FrameOffset { get; set; }

    /// <summary>The decoder output for the current context, kept between chunks by greedy search.</summary>
    public float[]? CachedDecoderOut { get; set; }

    public bool HasCachedDecoderOut { get; set; }
}
