using WebRtcAsr.Speech.Features;
using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Speech.Recognition;

/// <summary>How an <see cref="OnlineRecognizer"/> searches, batches, endpoints and finalizes.</summary>
public sealed record OnlineRecognizerOptions
{
    /// <summary>Greedy (default) or modified beam search.</summary>
    public DecodingMethod DecodingMethod { get; init; } = DecodingMethod.GreedySearch;

    /// <summary>Paths kept per stream by modified beam search (sherpa-onnx's max_active_paths, default 4).</summary>
    public int Beam { get; init; } = 4;

    /// <summary>Most streams in one encoder call; larger batches are split.</summary>
    public int MaxBatchSize { get; init; } = 16;

    /// <summary>Endpoint rules.</summary>
    public EndpointOptions Endpoint { get; init; } = new();

    /// <summary>
    /// Silence appended by <see cref="OnlineRecognizer.Finalize"/> before the input is closed, so that the last
    /// feature frames get their right context and the last word is decoded. Null: 660 ms (what sherpa-onnx's
    /// examples append), or more when the model's chunk (T) needs it.
    /// </summary>
    public int? TailPaddingMs { get; init; }

    /// <summary>Front end; the defaults match sherpa-onnx's (16 kHz, 80 bins).</summary>
    public FbankOptions Fbank { get; init; } = new();
}
