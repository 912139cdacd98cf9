namespace WebRtcAsr.Media.Codecs;

/// <summary>
/// Opus encoder through libopus (VOIP application, voice signal), for tests, the impairment
/// simulator and load generators. Not thread-safe.
/// </summary>
public sealed unsafe class OpusEncoder : IDisposable
{
    /// <summary>Largest packet libopus recommends allocating for (RFC 6716: 1275 bytes per frame, 3 frames + framing).</summary>
    public const int MaxPacketBytes = 4000;

    private readonly OpusEncoderHandle _handle;

    /// <summary>Creates an encoder; FEC (LBRR) is on by default with an expected 10 % loss.</summary>
    /// <param name="bitrate">Target bit rate in bit/s (default 24 kbit/s).</param>
    /// <param name="inbandFec">Whether to add in-band FEC (OPUS_SET_INBAND_FEC).</param>
    /// <param name="packetLossPercent">Expected loss, 0..100 (OPUS_SET_PACKET_LOSS_PERC); FEC needs it above 0.</param>
    /// <param name="dtx">Discontinuous transmission (OPUS_SET_DTX).</param>
    /// <param name="complexity">0..10.</param>
    /// <param name="sampleRate">8000, 12000, 16000, 24000 or 48000.</param>
    /// <param name="channels">1 or 2.</param>
    public OpusEncoder(int bitrate = 24000, bool inbandFec = true, int packetLossPercent = 10, bool dtx = false,
        int complexity = 10, int sampleRate = 48000, int channels = 1)
    {
        OpusNative.EnsureLoaded();
        _handle = OpusNative.opus_encoder_create(sampleRate, channels, OpusNative.ApplicationVoip, out int error);
        if (error != OpusNative.Ok || _handle.IsInvalid)
        {
            _handle.Dispose();
            throw new OpusException("opus_encoder_create", error);
        }
        SampleRate = sampleRate;
        Channels = channels;
        Set(OpusNative.SetBitrateRequest, bitrate, "OPUS_SET_BITRATE");
        Set(OpusNative.SetComplexityRequest, complexity, "OPUS_SET_COMPLEXITY");
        Set(OpusNative.SetSignalRequest, OpusNative.SignalVoice, "OPUS_SET_SIGNAL");
        Set(OpusNative.SetInbandFecRequest, inbandFec ? 1 : 0, "OPUS_SET_INBAND_FEC");
        Set(OpusNative.SetPacketLossPercRequest, packetLossPercent, "OPUS_SET_PACKET_LOSS_PERC");
        Set(OpusNative.SetDtxRequest, dtx ? 1 : 0, "OPUS_SET_DTX");
        int lookahead;
        int result = OpusNative.opus_encoder_ctl_get(_handle, OpusNative.GetLookaheadRequest, &lookahead);
        if (result != OpusNative.Ok)
        {
            throw new OpusException("OPUS_GET_LOOKAHEAD", result);
        }
        Lookahead = lookahead;
    }

    /// <summary>Input sample rate.</summary>
    public int SampleRate { get; }

    /// <summary>Input channels (interleaved).</summary>
    public int Channels { get; }

    /// <summary>Samples per channel in a 20 ms frame.</summary>
    public int FrameSamples20Ms => SampleRate / 50;

    /// <summary>Encoder look-ahead in samples at <see cref="SampleRate"/>: decoded audio lags the input by this much.</summary>
    public int Lookahead { get; }

    /// <summary>
    /// Encodes one frame (2.5, 5, 10, 20, 40 or 60 ms; <paramref name="pcm"/> holds frame × channels
    /// interleaved samples) into <paramref name="packet"/>; returns the packet length in bytes.
    /// Throws <see cref="OpusException"/> on a bad frame size.
    /// </summary>
    public int Encode(ReadOnlySpan<float> pcm, Span<byte> packet)
    {
        int frameSize = pcm.Length / Channels;
        fixed (float* input = pcm)
        fixed (byte* output = packet)
        {
            int length = OpusNative.opus_encode_float(_handle, input, frameSize, output, packet.Length);
            if (length < 0)
            {
                throw new OpusException("opus_encode_float", length);
            }
            return length;
        }
    }

    /// <summary>Changes the target bit rate.</summary>
    public void SetBitrate(int bitrate) => Set(OpusNative.SetBitrateRequest, bitrate, "OPUS_SET_BITRATE");

    /// <summary>Changes the expected packet loss (drives how much LBRR is spent).</summary>
    public void SetPacketLossPercent(int percent) => Set(OpusNative.SetPacketLossPercRequest, percent, "OPUS_SET_PACKET_LOSS_PERC");

    /// <inheritdoc/>
    public void Dispose() => _handle.Dispose();

    private void Set(int request, int value, string name)
    {
        int result = OpusNative.opus_encoder_ctl_set(_handle, request, value);
        if (result != OpusNative.Ok)
        {
            throw new OpusException($"{name}({value})", result);
        }
    }
}
