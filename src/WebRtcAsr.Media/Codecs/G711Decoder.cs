namespace WebRtcAsr.Media.Codecs;

/// <summary>
/// PCMU/PCMA decoder (RFC 3551: 8 kHz, one byte per sample) with pitch-repetition concealment
/// (<see cref="PitchRepetitionConcealer"/>) that keeps timing. G.711 has no in-band FEC.
/// </summary>
public sealed class G711Decoder : IAudioDecoder
{
    /// <summary>Largest payload accepted: 120 ms (960 bytes), the Opus maximum, so buffers can be sized alike.</summary>
    public const int MaxPacketSamples = 960;

    private readonly bool _aLaw;
    private readonly PitchRepetitionConcealer _concealer = new();

    /// <summary>Creates a decoder; <paramref name="aLaw"/> selects PCMA, otherwise PCMU.</summary>
    public G711Decoder(bool aLaw)
    {
        _aLaw = aLaw;
    }

    /// <inheritdoc/>
    public string Name => _aLaw ? "PCMA" : "PCMU";

    /// <inheritdoc/>
    public int ClockRate => 8000;

    /// <inheritdoc/>
    public int OutputRate => 8000;

    /// <inheritdoc/>
    public int MaxFrameSamples => MaxPacketSamples;

    /// <inheritdoc/>
    public string? LastError { get; private set; }

    /// <inheritdoc/>
    public int Decode(ReadOnlySpan<byte> payload, Span<float> output)
    {
        if (payload.IsEmpty)
        {
            LastError = $"{Name}: empty payload";
            return -1;
        }
        if (payload.Length > MaxPacketSamples)
        {
            LastError = $"{Name}: payload of {payload.Length} bytes exceeds {MaxPacketSamples} samples (120 ms)";
            return -1;
        }
        if (payload.Length > output.Length)
        {
            LastError = $"{Name}: payload of {payload.Length} samples does not fit the output of {output.Length}";
            return -1;
        }
        Span<float> frame = output[..payload.Length];
        if (_aLaw)
        {
            G711.DecodeALaw(payload, frame);
        }
        else
        {
            G711.DecodeMuLaw(payload, frame);
        }
        _concealer.AcceptGoodFrame(frame);
        LastError = null;
        return payload.Length;
    }

    /// <inheritdoc/>
    public int Conceal(int samples, Span<float> output)
    {
        if (samples <= 0 || samples > output.Length)
        {
            LastError = $"{Name}: cannot conceal {samples} samples into an output of {output.Length}";
            return -1;
        }
        _concealer.Conceal(output[..samples]);
        LastError = null;
        return samples;
    }

    /// <inheritdoc/>
    public int DecodeFec(ReadOnlySpan<byte> nextPayload, int samples, Span<float> output)
    {
        LastError = $"{Name}: G.711 has no in-band FEC";
        return -1;
    }

    /// <inheritdoc/>
    public bool HasFec(ReadOnlySpan<byte> payload) => false;

    /// <summary>Forgets the concealment history (a new stream).</summary>
    public void Reset() => _concealer.Reset();

    /// <inheritdoc/>
    public void Dispose()
    {
        // Nothing native to release.
    }
}
