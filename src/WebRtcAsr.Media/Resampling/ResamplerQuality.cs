namespace WebRtcAsr.Media.Resampling;

/// <summary>
/// Filter design targets. The stop band starts at the lower of the two Nyquist frequencies; the pass
/// band ends at the given fraction of it.
/// </summary>
public enum ResamplerQuality
{
    /// <summary>70 dB stop band, pass band to 85 % of the lower Nyquist frequency. Shortest filter.</summary>
    Fast,

    /// <summary>100 dB stop band, pass band to 90 % of the lower Nyquist frequency (7.2 kHz for 16 kHz output).</summary>
    Default,

    /// <summary>120 dB stop band, pass band to 95 % of the lower Nyquist frequency. Longest filter.</summary>
    High,
}
