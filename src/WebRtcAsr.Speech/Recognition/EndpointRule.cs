namespace WebRtcAsr.Speech.Recognition;

/// <summary>
/// One endpointing rule (sherpa-onnx / Kaldi): it fires when the trailing silence (frames since the last token)
/// and the utterance length reach their minimums — and, if <paramref name="MustContainNonSilence"/>, something
/// was decoded in the utterance.
/// </summary>
public sealed record EndpointRule(bool MustContainNonSilence, int MinTrailingSilenceMs, int MinUtteranceLengthMs);
