namespace WebRtcAsr.Speech.Recognition;

/// <summary>
/// Decides whether an utterance has ended, exactly as sherpa-onnx's Endpoint does: lengths are feature frames
/// of 10 ms turned into seconds in single precision and compared with the rules' thresholds in seconds, so that
/// boundary cases (e.g. 240 frames against 2.4 s) come out the same.
/// </summary>
public static class EndpointDetector
{
    private const float FrameShiftSeconds = 0.01f;

    /// <summary>
    /// The rule that fires (1, 2 or 3) for an utterance of <paramref name="decodedFrames"/> feature frames whose
    /// last <paramref name="trailingSilenceFrames"/> frames produced no token; 0 when none does.
    /// </summary>
    public static int FiredRule(EndpointOptions options, int decodedFrames, int trailingSilenceFrames)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return 0;
        }

        var utteranceLength = decodedFrames * FrameShiftSeconds;
        var trailingSilence = trailingSilenceFrames * FrameShiftSeconds;
        var containsNonSilence = utteranceLength > trailingSilence;
        if (Activated(options.Rule1, containsNonSilence, trailingSilence, utteranceLength))
        {
            return 1;
        }

        if (Activated(options.Rule2, containsNonSilence, trailingSilence, utteranceLength))
        {
            return 2;
        }

        return Activated(options.Rule3, containsNonSilence, trailingSilence, utteranceLength) ? 3 : 0;
    }

    private static bool Activated(EndpointRule rule, bool containsNonSilence, float trailingSilence, float utteranceLength) =>
        (containsNonSilence || !rule.MustContainNonSilence)
        && trailingSilence >= (float)(rule.MinTrailingSilenceMs / 1000.0)
        && utteranceLength >= (float)(rule.MinUtteranceLengthMs / 1000.0);
}
