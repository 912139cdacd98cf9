using WebRtcAsr.Speech.Recognition;

namespace WebRtcAsr.TestSupport;

/// <summary>
/// Chooses, deterministically, digit strings that our recognizer gets exactly right offline, so an end-to-end test
/// can assert the exact transcript and still test the pipeline (not the model's accuracy) when the model is
/// retrained. A string qualifies when, sent through the browser's codec (Opus, 20 ms frames) and decoded in 20 ms
/// chunks as the server does, it is recognized exactly in every one of a few variants: other sample offsets (a
/// different alignment of the audio to the model's chunks can change the result near a decision boundary) and
/// levels 6 dB down and up (a browser's automatic gain control changes the level). A string the model only just
/// gets right would make a browser test fail for the model's sake, not the pipeline's.
/// </summary>
public static class RecognizableDigitStrings
{
    /// <summary>The variants each candidate must be right in: ms of extra leading silence, and gain.</summary>
    public static IReadOnlyList<(double OffsetMs, float Gain)> Variants { get; } = [(0, 1), (7.0625, 1), (13.5, 1), (0, 0.5f), (3.25, 2)];

    /// <summary>The first <paramref name="count"/> candidates, in order, that are recognized exactly; fewer when not enough are.</summary>
    public static IReadOnlyList<DigitString> Choose(OnlineRecognizer recognizer, IEnumerable<DigitString> candidates, int count)
    {
        ArgumentNullException.ThrowIfNull(recognizer);
        ArgumentNullException.ThrowIfNull(candidates);
        var chosen = new List<DigitString>(count);
        foreach (var candidate in candidates)
        {
            if (chosen.Count == count)
            {
                break;
            }

            if (Variants.All(v => IsExact(recognizer, candidate, v.OffsetMs, v.Gain)))
            {
                chosen.Add(candidate);
            }
        }

        return chosen;
    }

    /// <summary>
    /// Whether the string, times <paramref name="gain"/> (clipped to full scale), after <paramref name="offsetMs"/> + 500 ms
    /// of silence and followed by 1 s of it, is recognized exactly.
    /// </summary>
    public static bool IsExact(OnlineRecognizer recognizer, DigitString source, double offsetMs, float gain = 1)
    {
        ArgumentNullException.ThrowIfNull(recognizer);
        ArgumentNullException.ThrowIfNull(source);
        var at48k = DigitStrings.Resample(source, 48000);
        var lead = (int)Math.Round((500 + offsetMs) * 48);
        var padded = new float[lead + at48k.Samples.Length + 48000];
        for (var i = 0; i < at48k.Samples.Length; i++)
        {
            padded[lead + i] = Math.Clamp(at48k.Samples[i] * gain, -1f, 1f);
        }

        var sent = Channels.OpusRoundTrip(at48k with { Samples = padded }, 32000);
        var heard = DigitStrings.Resample(sent, 16000);
        return DigitRecognition.Run(recognizer, heard, 320).Digits == source.Digits;
    }
}
