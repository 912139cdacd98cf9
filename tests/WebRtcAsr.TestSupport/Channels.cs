using WebRtcAsr.Media.Codecs;
using WebRtcAsr.Media.Resampling;

namespace WebRtcAsr.TestSupport;

/// <summary>
/// The transmission channels a digit string is measured through: each takes the 8 kHz recording and
/// returns what the recognizer hears at 16 kHz.
/// </summary>
public static class Channels
{
    public static IReadOnlyList<string> Names { get; } = ["clean16k", "pcmu8k", "opus24k"];

    public static DigitString Apply(string name, DigitString source) => name switch
    {
        "clean16k" => DigitStrings.Resample(source, 16000),
        "pcmu8k" => DigitStrings.Resample(MuLawRoundTrip(source), 16000),
        "opus24k" => DigitStrings.Resample(OpusRoundTrip(DigitStrings.Resample(source, 48000), 24000), 16000),
        _ => throw new ArgumentException($"unknown channel '{name}' (known: {string.Join(", ", Names)})", nameof(name)),
    };

    /// <summary>G.711 mu-law at 8 kHz, as a phone trunk carries it.</summary>
    public static DigitString MuLawRoundTrip(DigitString source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.SampleRate != 8000)
        {
            throw new ArgumentException("G.711 carries 8 kHz audio", nameof(source));
        }

        var codes = new byte[source.Samples.Length];
        G711.EncodeMuLaw(source.Samples, codes);
        var decoded = new float[codes.Length];
        G711.DecodeMuLaw(codes, decoded);
        return source with { Samples = decoded };
    }

    /// <summary>Opus in 20 ms frames at the given bitrate, as a browser sends it; the codec's delay is removed.</summary>
    public static DigitString OpusRoundTrip(DigitString source, int bitrate)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.SampleRate != 48000)
        {
            throw new ArgumentException("the Opus channel takes 48 kHz audio", nameof(source));
        }

        const int frame = 960;
        using var encoder = new OpusEncoder(bitrate: bitrate);
        using var decoder = new OpusDecoder();
        var delay = encoder.Lookahead;
        var padded = new float[(source.Samples.Length + delay + frame - 1) / frame * frame + frame];
        source.Samples.CopyTo(padded, 0);
        var output = new float[padded.Length];
        var packet = new byte[OpusEncoder.MaxPacketBytes];
        var written = 0;
        for (var offset = 0; offset < padded.Length; offset += frame)
        {
            var bytes = encoder.Encode(padded.AsSpan(offset, frame), packet);
            written += decoder.Decode(packet.AsSpan(0, bytes), output.AsSpan(written));
        }

        return source with { Samples = output.AsSpan(delay, source.Samples.Length).ToArray() };
    }
}
