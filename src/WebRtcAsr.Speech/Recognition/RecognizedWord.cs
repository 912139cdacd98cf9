namespace WebRtcAsr.Speech.Recognition;

/// <summary>
/// A word assembled from tokens ("▁" starts a word). Start is the first token's time, End the last token's time
/// plus one encoder frame (40 ms), both in seconds from the start of the stream. Confidence is the mean of the
/// tokens' posterior probabilities.
/// </summary>
public sealed record RecognizedWord(string Word, double Start, double End, float Confidence);
