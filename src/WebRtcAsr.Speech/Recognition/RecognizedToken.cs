namespace WebRtcAsr.Speech.Recognition;

/// <summary>
/// One decoded token: its id, its symbol as sherpa-onnx reports it (a leading "▁" shown as a space), its time in
/// seconds from the start of the segment (encoder frame × 40 ms, as sherpa-onnx computes timestamps), and its
/// posterior probability (exp of the log-softmax of the joiner output at the frame it was emitted).
/// </summary>
public readonly record struct RecognizedToken(int Id, string Symbol, float Timestamp, float Probability);
