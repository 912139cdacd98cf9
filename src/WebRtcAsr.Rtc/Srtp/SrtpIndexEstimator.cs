namespace WebRtcAsr.Rtc.Srtp;

/// <summary>
/// Rollover counter estimation (RFC 3711 3.3.1 and Appendix A): given the highest sequence number
/// s_l and rollover counter ROC seen so far, guess the 48-bit packet index of sequence number SEQ.
/// </summary>
public static class SrtpIndexEstimator
{
    /// <returns>The guessed index, or -1 when the guess would need a rollover counter below zero.</returns>
    public static long Estimate(uint roc, ushort highestSequence, ushort sequence)
    {
        long v;
        if (highestSequence < 32768)
        {
            v = sequence - highestSequence > 32768 ? (long)roc - 1 : roc;
        }
        else
        {
            v = highestSequence - 32768 > sequence ? (long)roc + 1 : roc;
        }

        if (v < 0 || v > uint.MaxValue)
        {
            return -1;
        }

        return (v << 16) | sequence;
    }
}
