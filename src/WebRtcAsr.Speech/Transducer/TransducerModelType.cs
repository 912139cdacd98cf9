namespace WebRtcAsr.Speech.Transducer;

/// <summary>The streaming encoder architectures this recognizer runs (sherpa-onnx's "model_type" metadata).</summary>
public enum TransducerModelType
{
    /// <summary>icefall's streaming Zipformer2 export: 6 cached tensors per layer, then embed_states and processed_lens.</summary>
    Zipformer2,

    /// <summary>icefall's LSTM transducer export: h and c.</summary>
    Lstm,
}
