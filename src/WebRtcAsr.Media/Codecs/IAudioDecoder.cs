namespace WebRtcAsr.Media.Codecs;

/// <summary>
/// Decodes one RTP stream's audio payloads to mono float PCM in [-1, 1] at <see cref="OutputRate"/>.
/// One instance per stream (decoders keep state); not thread-safe. Bad payloads are normal input:
/// they are rejected with -1 and a reason in <see cref="LastError"/>, never an exception.
/// </summary>
public interface IAudioDecoder : IDisposable
{
    /// <summary>Encoding name as in SDP: "opus", "PCMU" or "PCMA".</summary>
    string Name { get; }

    /// <summary>RTP clock rate: 48000 for Opus, 8000 for G.711.</summary>
    int ClockRate { get; }

    /// <summary>Sample rate of the decoded PCM.</summary>
    int OutputRate { get; }

    /// <summary>Largest number of samples one packet can decode to (Opus: 120 ms at 48 kHz = 5760).</summary>
    int MaxFrameSamples { get; }

    /// <summary>Decodes one packet's payload. Returns samples written, or -1 when the payload is rejected.</summary>
    int Decode(ReadOnlySpan<byte> payload, Span<float> output);

    /// <summary>Conceals a lost packet of <paramref name="samples"/> duration (at <see cref="OutputRate"/>). Returns samples written, or -1.</summary>
    int Conceal(int samples, Span<float> output);

    /// <summary>
    /// Recovers the previous (lost) packet of <paramref name="samples"/> duration from the in-band FEC
    /// of <paramref name="nextPayload"/>. Returns samples, or -1 when the packet carries no FEC.
    /// The caller then decodes <paramref name="nextPayload"/> itself with <see cref="Decode"/>.
    /// </summary>
    int DecodeFec(ReadOnlySpan<byte> nextPayload, int samples, Span<float> output);

    /// <summary>Whether the payload carries in-band FEC for the previous packet.</summary>
    bool HasFec(ReadOnlySpan<byte> payload);

    /// <summary>Why the last call returned -1; null after a successful call.</summary>
    string? LastError { get; }
}
