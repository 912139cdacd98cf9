namespace WebRtcAsr.Media.Codecs;

/// <summary>
/// Opus decoder (RFC 6716 / RFC 7587) through libopus: 48 kHz mono float output, packet-loss
/// concealment and in-band FEC (LBRR) recovery. One instance per stream; not thread-safe.
/// </summary>
public sealed unsafe class OpusDecoder : IAudioDecoder
{
    /// <summary>Opus' RTP clock and our output rate.</summary>
    public const int SampleRate = 48000;

    /// <summary>Longest Opus packet: 120 ms at 48 kHz.</summary>
    public const int MaxPacketSamples = 5760;

    /// <summary>libopus conceals and recovers in multiples of 2.5 ms.</summary>
    public const int ConcealmentGranule = SampleRate / 400;

    private readonly OpusDecoderHandle _handle;
    private readonly float[] _granule = new float[ConcealmentGranule];

    /// <summary>Creates a 48 kHz mono decoder; throws <see cref="OpusLibraryNotFoundException"/> when libopus is missing.</summary>
    public OpusDecoder()
    {
        OpusNative.EnsureLoaded();
        _handle = OpusNative.opus_decoder_create(SampleRate, 1, out int error);
        if (error != OpusNative.Ok || _handle.IsInvalid)
        {
            _handle.Dispose();
            throw new OpusException("opus_decoder_create", error);
        }
    }

    /// <inheritdoc/>
    public string Name => "opus";

    /// <inheritdoc/>
    public int ClockRate => SampleRate;

    /// <inheritdoc/>
    public int OutputRate => SampleRate;

    /// <inheritdoc/>
    public int MaxFrameSamples => MaxPacketSamples;

    /// <inheritdoc/>
    public string? LastError { get; private set; }

    /// <summary>
    /// Decodes one Opus packet. An empty payload is rejected (RFC 7587 carries exactly one Opus
    /// packet, at least the TOC byte); a TOC-only packet (Opus DTX) decodes to comfort audio of its duration.
    /// </summary>
    public int Decode(ReadOnlySpan<byte> payload, Span<float> output)
    {
        if (payload.IsEmpty)
        {
            return Fail("opus: empty payload (an Opus packet has at least its TOC byte); conceal the gap instead");
        }
        fixed (byte* data = payload)
        fixed (float* pcm = output)
        {
            int samples = OpusNative.opus_packet_get_nb_samples(data, payload.Length, SampleRate);
            if (samples < 0)
            {
                return Fail(samples, "opus: bad packet header");
            }
            if (samples > MaxPacketSamples)
            {
                return Fail($"opus: packet claims {samples} samples, more than 120 ms");
            }
            if (samples > output.Length)
            {
                return Fail($"opus: packet of {samples} samples does not fit the output of {output.Length}");
            }
            int decoded = OpusNative.opus_decode_float(_handle, data, payload.Length, pcm, samples, 0);
            if (decoded < 0)
            {
                return Fail(decoded, "opus: decode");
            }
            LastError = null;
            return decoded;
        }
    }

    /// <summary>
    /// libopus packet-loss concealment for <paramref name="samples"/> at 48 kHz. libopus works in
    /// 2.5 ms steps; a remainder below 2.5 ms is taken from the start of one more concealed step
    /// (the rest of that step is dropped), so the sample count, and with it timing, is exact.
    /// </summary>
    public int Conceal(int samples, Span<float> output)
    {
        if (samples <= 0 || samples > output.Length)
        {
            return Fail($"opus: cannot conceal {samples} samples into an output of {output.Length}");
        }
        int whole = samples - (samples % ConcealmentGranule);
        fixed (float* pcm = output)
        {
            if (whole > 0)
            {
                int done = OpusNative.opus_decode_float(_handle, null, 0, pcm, whole, 0);
                if (done < 0)
                {
                    return Fail(done, "opus: concealment");
                }
            }
        }
        int rest = samples - whole;
        if (rest > 0)
        {
            fixed (float* pcm = _granule)
            {
                int done = OpusNative.opus_decode_float(_handle, null, 0, pcm, ConcealmentGranule, 0);
                if (done < 0)
                {
                    return Fail(done, "opus: concealment");
                }
            }
            _granule.AsSpan(0, rest).CopyTo(output[whole..]);
        }
        LastError = null;
        return samples;
    }

    /// <summary>
    /// Recovers the lost packet before <paramref name="nextPayload"/> from its LBRR data.
    /// <paramref name="samples"/> is the lost duration (a multiple of 2.5 ms); when it exceeds the
    /// FEC frame, libopus conceals the difference first. Call <see cref="Decode"/> on
    /// <paramref name="nextPayload"/> afterwards as usual.
    /// </summary>
    public int DecodeFec(ReadOnlySpan<byte> nextPayload, int samples, Span<float> output)
    {
        if (!HasFec(nextPayload))
        {
            return Fail("opus: packet carries no in-band FEC");
        }
        if (samples <= 0 || samples > output.Length || samples > MaxPacketSamples || samples % ConcealmentGranule != 0)
        {
            return Fail($"opus: FEC duration {samples} must be a multiple of {ConcealmentGranule} samples, at most {Math.Min(output.Length, MaxPacketSamples)}");
        }
        fixed (byte* data = nextPayload)
        fixed (float* pcm = output)
        {
            int decoded = OpusNative.opus_decode_float(_handle, data, nextPayload.Length, pcm, samples, 1);
            if (decoded < 0)
            {
                return Fail(decoded, "opus: FEC decode");
            }
            LastError = null;
            return decoded;
        }
    }

    /// <inheritdoc/>
    public bool HasFec(ReadOnlySpan<byte> payload) => OpusPacket.HasLbrr(payload);

    /// <summary>Resets the decoder state (a new stream, e.g. after an SSRC change).</summary>
    public void Reset()
    {
        int result = OpusNative.opus_decoder_ctl(_handle, OpusNative.ResetStateRequest);
        if (result != OpusNative.Ok)
        {
            throw new OpusException("OPUS_RESET_STATE", result);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _handle.Dispose();

    private int Fail(string message)
    {
        LastError = message;
        return -1;
    }

    private int Fail(int error, string what) => Fail($"{what}: {OpusNative.ErrorText(error)} ({error})");
}
