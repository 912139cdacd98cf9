namespace WebRtcAsr.Speech.Transducer;

/// <summary>How the joiner's outputs are searched for the token sequence.</summary>
public enum DecodingMethod
{
    /// <summary>At most one token per encoder frame, the joiner's argmax (sherpa-onnx "greedy_search").</summary>
    GreedySearch,

    /// <summary>Beam search with at most one token per frame and merged equal prefixes (sherpa-onnx "modified_beam_search").</summary>
    ModifiedBeamSearch,
}
