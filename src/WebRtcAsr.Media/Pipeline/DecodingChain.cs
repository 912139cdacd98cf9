using WebRtcAsr.Media.Codecs;
using WebRtcAsr.Media.Jitter;
using WebRtcAsr.Media.Resampling;

namespace WebRtcAsr.Media.Pipeline;

/// <summary>
/// Jitter buffer → decoder → resampler for one codec of a stream, mapping RTP timestamps to
/// output stream time. Each continuous segment (between discontinuities) goes through the
/// resampler on its own: its first <see cref="Resampler.LatencySamples"/> outputs are dropped and
/// its tail is flushed when the segment ends, so every output sample sits exactly at the stream
/// time of the input it came from.
/// </summary>
internal sealed class DecodingChain : IAudioFrameSink, IDisposable
{
    private readonly AudioPipeline _owner;
    private readonly Resampler _resampler;
    private readonly float[] _resampled;
    private readonly int _outputRate;
    private readonly int _clockRate;
    private readonly long _maxGapSamples;
    private long _originTimestamp;
    private long _originSample;
    private bool _hasOrigin;
    private bool _segmentOpen;
    private int _latencyToDrop;
    private uint _ssrc;
    private AudioFrameKind _lastKind;

    public DecodingChain(AudioPipeline owner, int payloadType, IAudioDecoder decoder, AudioPipelineOptions options)
    {
        _owner = owner;
        PayloadType = payloadType;
        Decoder = decoder;
        _outputRate = options.OutputRate;
        _clockRate = decoder.ClockRate;
        _maxGapSamples = (long)(options.MaxStreamGap.TotalSeconds * options.OutputRate);
        _resampler = new Resampler(decoder.OutputRate, options.OutputRate);
        _resampled = new float[Math.Max(_resampler.MaxOutputLength(decoder.MaxFrameSamples), _resampler.MaxFlushLength) + 1];
        JitterBuffer = new JitterBuffer(decoder, this, options.JitterBuffer);
    }

    public int PayloadType { get; }

    public IAudioDecoder Decoder { get; }

    public JitterBuffer JitterBuffer { get; }

    public void OnFrame(in DecodedAudio frame)
    {
        if (frame.Discontinuity || !_segmentOpen || frame.Ssrc != _ssrc)
        {
            EndSegment();
            long end = _owner.EndSample;
            long target = _hasOrigin && frame.Ssrc == _ssrc
                ? _originSample + ((frame.Timestamp - _originTimestamp) * _outputRate / _clockRate)
                : long.MinValue;
            if (target < end || target - end > _maxGapSamples)
            {
                // New source, first audio, time going backwards or leaping: continue from where output ended.
                _originTimestamp = frame.Timestamp;
                _originSample = end;
                target = end;
                _hasOrigin = true;
            }

            _ssrc = frame.Ssrc;
            _owner.BeginSegment(target);
            _segmentOpen = true;
            _latencyToDrop = _resampler.LatencySamples;
        }

        _lastKind = frame.Kind;
        int produced = _resampler.Process(frame.Samples, _resampled);
        Deliver(produced);
    }

    /// <summary>Ends the current segment: drains the resampler's tail.</summary>
    public void EndSegment()
    {
        if (!_segmentOpen)
        {
            return;
        }

        _segmentOpen = false;
        int produced = _resampler.Flush(_resampled);
        Deliver(produced);
        _resampler.Reset();
    }

    public void Dispose()
    {
        JitterBuffer.Dispose();
        Decoder.Dispose();
    }

    private void Deliver(int produced)
    {
        int skip = Math.Min(produced, _latencyToDrop);
        _latencyToDrop -= skip;
        if (produced > skip)
        {
            _owner.Deliver(_resampled.AsSpan(skip, produced - skip), _lastKind, _ssrc);
        }
    }
}
