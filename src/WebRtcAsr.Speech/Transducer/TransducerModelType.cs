namespace WebRtcAsr.Speech.Transducer;

/// <summary>The streaming encoder architectures this recognizer runs (sherpa-onnx's "model_type" metadata).</summary>
public enum TransducerModelType
{
    /// <summary>icefall's streaming Zipformer2 export: 6 cached tensors per layer, then embed_states and processed_lens.</summary>
    Zipformer2,

    /// <summary>icefall's LSTM transducer export: h and c.</summary>
    Lstm,

    /// <summary>
    /// icefall's first streaming Zipformer (pruned_transducer_stateless7_streaming) export: 7 cached tensors per
    /// encoder stack (cached_len, an int64, then cached_avg, cached_key, cached_val, cached_val2, cached_conv1,
    /// cached_conv2), grouped by kind, each holding all layers of its stack.
    /// </summary>
    Zipformer,
}
