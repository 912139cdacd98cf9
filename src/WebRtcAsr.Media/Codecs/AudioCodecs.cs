namespace WebRtcAsr.Media.Codecs;

/// <summary>Creates a decoder for an SDP encoding name.</summary>
public static class AudioCodecs
{
    /// <summary>Whether <see cref="Create"/> knows <paramref name="encodingName"/> ("opus", "PCMU", "PCMA"; any case).</summary>
    public static bool IsSupported(string encodingName) =>
        encodingName.Equals("opus", StringComparison.OrdinalIgnoreCase)
        || encodingName.Equals("PCMU", StringComparison.OrdinalIgnoreCase)
        || encodingName.Equals("PCMA", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Creates a decoder for "opus", "PCMU" or "PCMA" (case-insensitive).
    /// Throws <see cref="NotSupportedException"/> for other names and
    /// <see cref="OpusLibraryNotFoundException"/> when Opus is asked for but libopus is missing.
    /// </summary>
    public static IAudioDecoder Create(string encodingName)
    {
        ArgumentNullException.ThrowIfNull(encodingName);
        if (encodingName.Equals("opus", StringComparison.OrdinalIgnoreCase))
        {
            return new OpusDecoder();
        }
        if (encodingName.Equals("PCMU", StringComparison.OrdinalIgnoreCase))
        {
            return new G711Decoder(aLaw: false);
        }
        if (encodingName.Equals("PCMA", StringComparison.OrdinalIgnoreCase))
        {
            return new G711Decoder(aLaw: true);
        }
        throw new NotSupportedException($"Audio encoding '{encodingName}' is not supported; supported: opus, PCMU, PCMA.");
    }
}
