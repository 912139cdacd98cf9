using WebRtcAsr.Media.Codecs;
using WebRtcAsr.Media.Jitter;
using WebRtcAsr.Media.Rtp;

namespace WebRtcAsr.Media.Pipeline;

/// <summary>
/// The receive audio path of one stream: RTP bytes (after SRTP for WebRTC, plain for SIP) →
/// parse → payload type check against the negotiated map → <see cref="JitterBuffer"/> → decoder →
/// resampler → 16 kHz mono frames with stream time, handed to an <see cref="IAudioFrameConsumer"/>.
/// Serves Opus and PCMU/PCMA alike. Bad packets are counted and dropped, never thrown.
/// </summary>
/// <remarks>
/// Sans-IO: time comes in as <c>nowMicros</c> (microseconds on one monotonic clock, the
/// convention of the whole Media project); call <see cref="Poll"/> at <see cref="NextTimeoutMicros"/>.
/// One owner per stream, not thread-safe. Steady state allocates nothing per packet.
/// </remarks>
public sealed class AudioPipeline : IDisposable
{
    private readonly PayloadTypeMap _payloadTypes;
    private readonly IAudioFrameConsumer _consumer;
    private readonly AudioPipelineOptions _options;
    private readonly Func<string, IAudioDecoder?> _decoderFactory;
    private readonly bool[] _unavailable = new bool[128];
    private DecodingChain? _chain;
    private long _nextSample;
    private bool _pendingDiscontinuity;
    private bool _disposed;

    /// <param name="payloadTypes">The negotiated payload types.</param>
    /// <param name="consumer">Receives the output audio (VAD, recognizer).</param>
    /// <param name="options">Output rate and jitter buffer settings.</param>
    /// <param name="decoderFactory">Creates a decoder for an encoding name, or returns null when the
    /// encoding is not audio to decode; defaults to <see cref="AudioCodecs.Create"/>.</param>
    public AudioPipeline(PayloadTypeMap payloadTypes, IAudioFrameConsumer consumer, AudioPipelineOptions? options = null,
        Func<string, IAudioDecoder?>? decoderFactory = null)
    {
        ArgumentNullException.ThrowIfNull(payloadTypes);
        ArgumentNullException.ThrowIfNull(consumer);
        _payloadTypes = payloadTypes;
        _consumer = consumer;
        _options = options ?? new AudioPipelineOptions();
        _decoderFactory = decoderFactory ?? (name => AudioCodecs.IsSupported(name) ? AudioCodecs.Create(name) : null);
    }

    public AudioPipelineStatistics Statistics { get; } = new();

    /// <summary>The current codec's jitter buffer counters (null before the first audio packet).</summary>
    public JitterBufferStatistics? JitterStatistics => _chain?.JitterBuffer.Statistics;

    /// <summary>RFC 3550 receive statistics of the current source, for RTCP receiver reports.</summary>
    public RtpReceiveStatistics? ReceiveStatistics { get; private set; }

    /// <summary>Encoding name of the codec in use.</summary>
    public string? CurrentEncoding => _chain?.Decoder.Name;

    /// <summary>When <see cref="Poll"/> must next be called, or null.</summary>
    public long? NextTimeoutMicros => _chain?.JitterBuffer.NextTimeoutMicros;

    /// <summary>Stream position just after the last sample handed out.</summary>
    internal long EndSample => _nextSample;

    /// <summary>Feeds one RTP packet.</summary>
    public AudioPipelineResult Receive(ReadOnlySpan<byte> packet, long nowMicros)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Statistics.Packets++;
        if (!RtpPacketView.TryParse(packet, out var rtp, out _))
        {
            Statistics.Malformed++;
            return AudioPipelineResult.Malformed;
        }

        var chain = ChainFor(rtp.PayloadType, out var refused);
        if (chain is null)
        {
            if (refused == AudioPipelineResult.NotAudio && _chain is not null && ReceiveStatistics?.Ssrc == rtp.Ssrc)
            {
                // telephone-event / CN on the audio's SSRC use its sequence numbers: keep them
                // from looking like loss.
                ReceiveStatistics.Update(rtp.SequenceNumber, rtp.Timestamp, rtp.Ssrc, nowMicros);
                _chain.JitterBuffer.InsertWithoutAudio(rtp, nowMicros);
            }

            return refused;
        }

        if (ReceiveStatistics is null || ReceiveStatistics.Ssrc != rtp.Ssrc)
        {
            ReceiveStatistics = new RtpReceiveStatistics(chain.Decoder.ClockRate, minSequential: 1);
        }

        ReceiveStatistics.Update(rtp.SequenceNumber, rtp.Timestamp, rtp.Ssrc, nowMicros);
        return chain.JitterBuffer.Insert(rtp, nowMicros) switch
        {
            JitterInsertResult.Accepted => AudioPipelineResult.Accepted,
            JitterInsertResult.Duplicate => AudioPipelineResult.Duplicate,
            JitterInsertResult.Late => AudioPipelineResult.Late,
            JitterInsertResult.TooLarge => AudioPipelineResult.TooLarge,
            _ => AudioPipelineResult.SequenceJump,
        };
    }

    /// <summary>Conceals expired gaps and releases what follows them.</summary>
    public void Poll(long nowMicros)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _chain?.JitterBuffer.Poll(nowMicros);
    }

    /// <summary>End of stream: releases everything held and drains the resampler.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_chain is not null)
        {
            _chain.JitterBuffer.Flush();
            _chain.EndSegment();
        }
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _chain?.Dispose();
        }
    }

    internal void BeginSegment(long streamSample)
    {
        // Every segment start is a discontinuity for the consumer: first audio, DTX, long loss, new source.
        _pendingDiscontinuity = true;
        _nextSample = streamSample;
    }

    internal void Deliver(ReadOnlySpan<float> samples, AudioFrameKind kind, uint ssrc)
    {
        var frame = new AudioFrame(samples, _options.OutputRate, _nextSample, _pendingDiscontinuity, kind, ssrc);
        _pendingDiscontinuity = false;
        _nextSample += samples.Length;
        Statistics.FramesOut++;
        Statistics.SamplesOut += samples.Length;
        _consumer.OnAudio(frame);
    }

    private DecodingChain? ChainFor(int payloadType, out AudioPipelineResult refused)
    {
        refused = AudioPipelineResult.Accepted;
        if (_chain?.PayloadType == payloadType)
        {
            return _chain;
        }

        string? encoding = _payloadTypes[payloadType];
        if (encoding is null)
        {
            Statistics.UnknownPayloadType++;
            refused = AudioPipelineResult.UnknownPayloadType;
            return null;
        }

        if (_unavailable[payloadType])
        {
            Statistics.DecoderUnavailable++;
            refused = AudioPipelineResult.DecoderUnavailable;
            return null;
        }

        IAudioDecoder? decoder;
        try
        {
            decoder = _decoderFactory(encoding);
        }
        catch (Exception e) when (e is NotSupportedException or OpusLibraryNotFoundException or OpusException or DllNotFoundException)
        {
            // Remembered, so a peer cannot make us retry (and throw) on every packet.
            _unavailable[payloadType] = true;
            Statistics.DecoderUnavailable++;
            refused = AudioPipelineResult.DecoderUnavailable;
            return null;
        }

        if (decoder is null)
        {
            Statistics.NotAudio++;
            refused = AudioPipelineResult.NotAudio;
            return null;
        }

        if (_chain is not null)
        {
            // A codec switch mid-stream (e.g. PCMU ↔ PCMA): finish the old codec's audio first.
            Statistics.CodecSwitches++;
            Flush();
            _chain.Dispose();
        }

        _chain = new DecodingChain(this, payloadType, decoder, _options);
        return _chain;
    }
}
