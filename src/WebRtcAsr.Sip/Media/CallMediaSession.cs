using System.Buffers;
using System.Net;
using System.Text;
using WebRtcAsr.Media.Pipeline;
using WebRtcAsr.Media.Rtcp;
using WebRtcAsr.Media.Rtp;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Sdp;

namespace WebRtcAsr.Sip.Media;

/// <summary>
/// The media state machine of one SIP call, sans-IO: RTP in (<see cref="HandleRtp"/>) is checked against the
/// latched source (symmetric RTP), telephone-event goes to a <see cref="TelephoneEventDetector"/> and audio to an
/// <see cref="AudioPipeline"/> (G.711 → 16 kHz frames for the consumer); RTCP in updates the sender-report
/// reference; <see cref="HandleTimeout"/> sends receiver reports, releases jitter-buffered audio, closes DTMF whose
/// end was lost and watches for media inactivity. Output: <see cref="TryPollTransmit"/> (RTCP datagrams) and
/// <see cref="TryPollEvent"/> (<see cref="CallDtmf"/>, <see cref="CallMediaStopped"/>).
/// </summary>
/// <remarks>
/// Time is microseconds on one monotonic clock (<c>nowMicros</c>), as in WebRtcAsr.Media. One owner, not
/// thread-safe; a steady audio packet allocates nothing.
/// </remarks>
public sealed class CallMediaSession : IDisposable
{
    private const int RtcpBufferBytes = 256;
    private const int MaxPendingEvents = 64;

    /// <summary>RTP held while the call is offered but not yet started (1 s of 20 ms packets).</summary>
    private const int MaxEarlyPackets = 50;

    private readonly CallMediaOptions _options;
    private readonly PayloadTypeMap _payloadTypes = new();
    private readonly Queue<SipCallEvent> _events = new();
    private readonly Queue<EarlyPacket> _early = new();
    private AudioPipeline? _pipeline;
    private IAudioFrameConsumer? _consumer;
    private readonly byte[] _rtcp = new byte[RtcpBufferBytes];
    private readonly byte[] _cname;
    private readonly uint _reporterSsrc;
    private readonly long _inactivityMicros;
    private readonly long _rtcpIntervalMicros;
    private readonly long _relatchMicros;
    private TelephoneEventDetector? _dtmf;
    private int _telephoneEventPt = -1;
    private int _telephoneEventClockRate = 8000;
    private SipMediaSession? _media;
    private IPEndPoint? _latchedRtp;
    private IPEndPoint? _remoteRtcp;
    private bool _rtcpLatched;
    private long _lastRtpMicros;
    private long _nextRtcpMicros;
    private bool _stoppedReported;
    private int _rtcpPendingLength;
    private IPEndPoint? _rtcpPendingTo;
    private bool _haveAudioOrigin;
    private long _audioOriginTimestamp;
    private int _audioOriginClockRate = 8000;
    private TimestampUnwrapper _originUnwrapper;
    private bool _closed;

    /// <param name="callId">The SIP Call-ID, carried on events.</param>
    /// <param name="options">Timeouts and the audio path's settings.</param>
    /// <param name="reporterSsrc">Our SSRC in RTCP (random per call).</param>
    /// <remarks>The consumer is given to <see cref="Start(SipMediaSession, long, IAudioFrameConsumer?)"/>.</remarks>
    public CallMediaSession(string callId, CallMediaOptions? options = null, uint? reporterSsrc = null)
    {
        ArgumentNullException.ThrowIfNull(callId);
        CallId = callId;
        _options = options ?? new CallMediaOptions();
        _cname = Encoding.UTF8.GetBytes(_options.Cname);
        _reporterSsrc = reporterSsrc ?? (uint)Random.Shared.NextInt64(1, uint.MaxValue);
        _inactivityMicros = (long)_options.InactivityTimeout.TotalMicroseconds;
        _rtcpIntervalMicros = (long)_options.RtcpInterval.TotalMicroseconds;
        _relatchMicros = (long)_options.RelatchAfter.TotalMicroseconds;
    }

    /// <param name="callId">The SIP Call-ID, carried on events.</param>
    /// <param name="consumer">Receives the call's 16 kHz audio; also its DTMF when it implements <see cref="ICallDtmfConsumer"/>.</param>
    /// <param name="options">Timeouts and the audio path's settings.</param>
    /// <param name="reporterSsrc">Our SSRC in RTCP (random per call).</param>
    public CallMediaSession(string callId, IAudioFrameConsumer consumer, CallMediaOptions? options = null, uint? reporterSsrc = null)
        : this(callId, options, reporterSsrc)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        _consumer = consumer;
    }

    public string CallId { get; }

    /// <summary>Where the audio goes (null until started).</summary>
    public IAudioFrameConsumer? Consumer => _consumer;

    public CallMediaStatistics Statistics { get; } = new();

    /// <summary>The audio path's counters (packets, codec switches, frames out).</summary>
    public AudioPipelineStatistics AudioStatistics => _pipeline?.Statistics ?? EmptyAudioStatistics;

    /// <summary>RFC 3550 receive statistics of the caller's audio (what our receiver reports say), or null before audio.</summary>
    public RtpReceiveStatistics? ReceiveStatistics => _pipeline?.ReceiveStatistics;

    private static AudioPipelineStatistics EmptyAudioStatistics { get; } = new();

    /// <summary>The DTMF detector's counters, or null when no telephone-event was negotiated.</summary>
    public TelephoneEventDetectorStatistics? DtmfStatistics => _dtmf?.Statistics;

    /// <summary>Where RTP is accepted from: the SDP address until a packet latched another one.</summary>
    public IPEndPoint? RemoteRtp => _latchedRtp ?? _media?.RemoteRtp;

    /// <summary>Where our RTCP goes.</summary>
    public IPEndPoint? RemoteRtcp => _remoteRtcp;

    /// <summary>True while the caller has us on hold (sendonly/inactive): inactivity is not checked.</summary>
    public bool OnHold => _media?.OnHold ?? false;

    /// <summary>True between <see cref="Start"/> and <see cref="Close"/>.</summary>
    public bool Started => _media is not null && !_closed;

    /// <summary>When <see cref="HandleTimeout"/> must next be called, or null.</summary>
    public long? NextTimeoutMicros
    {
        get
        {
            if (_media is null || _closed)
            {
                return null;
            }

            long next = _nextRtcpMicros;
            if (!OnHold && !_stoppedReported)
            {
                next = Math.Min(next, _lastRtpMicros + _inactivityMicros);
            }

            if (_pipeline?.NextTimeoutMicros is long audio)
            {
                next = Math.Min(next, audio);
            }

            if (_dtmf?.NextTimeoutMicros is long dtmf)
            {
                next = Math.Min(next, dtmf);
            }

            return next;
        }
    }

    /// <summary>
    /// The call was answered and acknowledged (CallStarted): payload types, remote addresses, hold state, and the
    /// consumer of its audio (unless given to the constructor). RTP held from before is played in now.
    /// </summary>
    public void Start(SipMediaSession media, long nowMicros, IAudioFrameConsumer? consumer = null)
    {
        ArgumentNullException.ThrowIfNull(media);
        ObjectDisposedException.ThrowIf(_closed, this);
        _consumer = consumer ?? _consumer ?? throw new ArgumentNullException(nameof(consumer), "the session has no audio consumer");
        _pipeline ??= new AudioPipeline(_payloadTypes, _consumer, _options.Audio);
        _lastRtpMicros = nowMicros;
        _nextRtcpMicros = nowMicros + _rtcpIntervalMicros;
        Apply(media, nowMicros);
        while (_early.TryDequeue(out var early))
        {
            HandleRtp(early.Buffer.AsSpan(0, early.Length), early.From, early.Micros);
            Statistics.RtpDatagrams--; // counted when it arrived
            ArrayPool<byte>.Shared.Return(early.Buffer);
        }

        _lastRtpMicros = Math.Max(_lastRtpMicros, nowMicros);
    }

    /// <summary>A re-INVITE changed the media (CallUpdated): codec, hold/unhold, address.</summary>
    public void Update(SipMediaSession media, long nowMicros)
    {
        ArgumentNullException.ThrowIfNull(media);
        if (_media is null)
        {
            if (_consumer is not null)
            {
                Start(media, nowMicros);
            }

            return;
        }

        if (_closed)
        {
            return;
        }

        bool wasOnHold = _media.OnHold;
        if (!Equals(media.RemoteRtp, _media.RemoteRtp))
        {
            // The caller moved its media (new SBC leg, transfer): learn its source again.
            _latchedRtp = null;
            _rtcpLatched = false;
        }

        Apply(media, nowMicros);
        if (wasOnHold && !media.OnHold)
        {
            // Off hold: the inactivity clock starts again now, not at the last packet before the hold.
            _lastRtpMicros = nowMicros;
        }
    }

    /// <summary>One datagram received on the call's RTP port from <paramref name="from"/>.</summary>
    public void HandleRtp(ReadOnlySpan<byte> datagram, IPEndPoint from, long nowMicros)
    {
        Statistics.RtpDatagrams++;
        if (_closed)
        {
            return;
        }

        if (!RtpPacketView.TryParse(datagram, out var rtp, out _))
        {
            Statistics.RtpMalformed++;
            return;
        }

        if (_media is null || _pipeline is null)
        {
            // The caller may send RTP as soon as it has our 200 OK, so its first packets can beat the ACK
            // (CallStarted): hold a few, to play in once the payload types are known.
            if (_early.Count < MaxEarlyPackets)
            {
                var copy = ArrayPool<byte>.Shared.Rent(datagram.Length);
                datagram.CopyTo(copy);
                _early.Enqueue(new EarlyPacket(copy, datagram.Length, from, nowMicros));
                Statistics.RtpHeldBeforeStart++;
            }
            else
            {
                Statistics.RtpBeforeStart++;
            }

            return;
        }

        bool isTelephoneEvent = rtp.PayloadType == _telephoneEventPt;
        if (!isTelephoneEvent && _payloadTypes[rtp.PayloadType] is null)
        {
            // Not negotiated: neither latches nor keeps the call alive. The pipeline counts it.
            _pipeline.Receive(datagram, nowMicros);
            return;
        }

        if (!AcceptSource(from, nowMicros))
        {
            Statistics.RtpFromOtherSources++;
            return;
        }

        _lastRtpMicros = nowMicros;
        _stoppedReported = false;
        if (isTelephoneEvent)
        {
            Statistics.TelephoneEventPackets++;
            _dtmf!.Receive(rtp.Timestamp, rtp.Marker, rtp.Payload, nowMicros);
            DrainDtmf();
        }
        else
        {
            Statistics.AudioPackets++;
            NoteOrigin(rtp.Timestamp, rtp.PayloadType);
        }

        // telephone-event packets go to the pipeline too: on the audio's SSRC they take their sequence numbers,
        // which must not read as loss in the statistics and the jitter buffer.
        long before = _pipeline.Statistics.SamplesOut;
        _pipeline.Receive(datagram, nowMicros);
        Statistics.SamplesOut += _pipeline.Statistics.SamplesOut - before;
    }

    /// <summary>One datagram received on the call's RTCP port (RTP port + 1).</summary>
    public void HandleRtcp(ReadOnlySpan<byte> datagram, IPEndPoint from, long nowMicros)
    {
        if (_closed || _media is null || _pipeline is null)
        {
            return;
        }

        if (RemoteRtp is { } remote && !from.Address.Equals(remote.Address))
        {
            // RTCP is taken only from the caller's media host: a stranger's sender report would skew our LSR/DLSR.
            Statistics.RtcpFromOtherSources++;
            return;
        }

        var reader = new RtcpCompoundReader(datagram);
        bool any = false;
        while (reader.MoveNext())
        {
            any = true;
            var packet = reader.Current;
            if (packet.PacketType == (byte)RtcpPacketType.SenderReport
                && SenderReportView.TryParse(packet, out var sr, out _)
                && _pipeline.ReceiveStatistics is { } statistics && statistics.Ssrc == sr.Ssrc)
            {
                statistics.OnSenderReport(sr.NtpTimestamp, nowMicros);
            }
        }

        if (!any || reader.Error != RtcpParseError.None)
        {
            Statistics.RtcpMalformed++;
            return;
        }

        Statistics.RtcpReceived++;
        if (!_rtcpLatched)
        {
            // Symmetric RTCP: answer where the caller's RTCP really comes from (a NAT maps port+1 elsewhere).
            _remoteRtcp = from;
            _rtcpLatched = true;
        }
    }

    /// <summary>Fires what is due: jitter-buffer release, DTMF end timeouts, receiver reports, inactivity.</summary>
    public void HandleTimeout(long nowMicros)
    {
        if (_media is null || _pipeline is null || _closed)
        {
            return;
        }

        long before = _pipeline.Statistics.SamplesOut;
        _pipeline.Poll(nowMicros);
        Statistics.SamplesOut += _pipeline.Statistics.SamplesOut - before;
        if (_dtmf is not null)
        {
            _dtmf.Poll(nowMicros);
            DrainDtmf();
        }

        if (nowMicros >= _nextRtcpMicros)
        {
            _nextRtcpMicros = nowMicros + _rtcpIntervalMicros;
            QueueReceiverReport(nowMicros);
        }

        if (!OnHold && !_stoppedReported && nowMicros - _lastRtpMicros >= _inactivityMicros)
        {
            _stoppedReported = true;
            Enqueue(new CallMediaStopped(CallId, TimeSpan.FromMicroseconds(nowMicros - _lastRtpMicros)));
        }
    }

    /// <summary>Takes the RTCP datagram to send, if one is due. The bytes are valid until the next call into the session.</summary>
    public bool TryPollTransmit(out ReadOnlyMemory<byte> datagram, out IPEndPoint? destination)
    {
        if (_rtcpPendingLength == 0)
        {
            datagram = default;
            destination = null;
            return false;
        }

        datagram = _rtcp.AsMemory(0, _rtcpPendingLength);
        destination = _rtcpPendingTo;
        _rtcpPendingLength = 0;
        return true;
    }

    /// <summary>Takes the next <see cref="CallDtmf"/> or <see cref="CallMediaStopped"/>.</summary>
    public bool TryPollEvent(out SipCallEvent? callEvent) => _events.TryDequeue(out callEvent);

    /// <summary>The call ended: releases held audio and DTMF to the consumer and stops all timers.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        if (_pipeline is not null)
        {
            long before = _pipeline.Statistics.SamplesOut;
            _pipeline.Flush();
            Statistics.SamplesOut += _pipeline.Statistics.SamplesOut - before;
            _dtmf?.Flush();
            DrainDtmf();
        }

        _closed = true;
    }

    public void Dispose()
    {
        _closed = true;
        _pipeline?.Dispose();
        while (_early.TryDequeue(out var early))
        {
            ArrayPool<byte>.Shared.Return(early.Buffer);
        }
    }

    private void Apply(SipMediaSession media, long nowMicros)
    {
        // RFC 3264 §8.3.2: a payload type keeps its meaning for the whole session, so new mappings are added to
        // the same map and the pipeline keeps one timeline across a codec change.
        foreach (var codec in media.Codecs)
        {
            if (codec.PayloadType is >= 0 and < 128)
            {
                _payloadTypes.Add(codec.PayloadType, codec.Encoding);
            }
        }

        if (media.TelephoneEvent is { } te && te.PayloadType is >= 0 and < 128)
        {
            _payloadTypes.Add(te.PayloadType, te.Encoding);
            if (_dtmf is null || te.PayloadType != _telephoneEventPt || te.ClockRate != _telephoneEventClockRate)
            {
                _dtmf?.Flush();
                DrainDtmf();
                _telephoneEventPt = te.PayloadType;
                _telephoneEventClockRate = te.ClockRate > 0 ? te.ClockRate : 8000;
                _dtmf = new TelephoneEventDetector(new TelephoneEventDetectorOptions { ClockRate = _telephoneEventClockRate });
            }
        }

        _media = media;
        if (!_rtcpLatched)
        {
            _remoteRtcp = media.RemoteRtcp ?? DefaultRtcp(RemoteRtp);
        }

        _ = nowMicros;
    }

    private bool AcceptSource(IPEndPoint from, long nowMicros)
    {
        if (_latchedRtp is not null)
        {
            if (_latchedRtp.Equals(from))
            {
                return true;
            }

            if (nowMicros - _lastRtpMicros < _relatchMicros)
            {
                return false;
            }
        }
        else if (_media!.RemoteRtp is { } sdp && sdp.Equals(from))
        {
            _latchedRtp = sdp;
            return true;
        }

        // Symmetric RTP (RFC 4961; "comedia"): the first valid packet, or the first after the latched source fell
        // silent for RelatchAfter, decides where the caller really is: behind NAT or an SBC the SDP address is not.
        _latchedRtp = from;
        Statistics.Latches++;
        if (!_rtcpLatched)
        {
            _remoteRtcp = DefaultRtcp(from);
        }

        return true;
    }

    private static IPEndPoint? DefaultRtcp(IPEndPoint? rtp) =>
        rtp is null || rtp.Port >= IPEndPoint.MaxPort ? null : new IPEndPoint(rtp.Address, rtp.Port + 1);

    private void NoteOrigin(uint timestamp, int audioPayloadType)
    {
        if (!_haveAudioOrigin)
        {
            int clockRate = ClockRateOf(audioPayloadType);

            // The pipeline's stream time starts at the first audio packet's timestamp: DTMF is placed on the same
            // timeline (both use the audio clock on one SSRC, RFC 4733 §2.1).
            _haveAudioOrigin = true;
            _audioOriginTimestamp = _originUnwrapper.Unwrap(timestamp);
            _audioOriginClockRate = clockRate;
        }
    }

    private int ClockRateOf(int payloadType)
    {
        var codecs = _media!.Codecs;
        for (var i = 0; i < codecs.Count; i++)
        {
            if (codecs[i].PayloadType == payloadType)
            {
                return codecs[i].ClockRate;
            }
        }

        return 8000;
    }

    private void DrainDtmf()
    {
        if (_dtmf is null)
        {
            return;
        }

        while (_dtmf.TryPoll(out var press))
        {
            Statistics.DtmfPresses++;
            // A press before any audio sits at the start of the audio timeline.
            long ticksFromOrigin = !_haveAudioOrigin ? 0
                : (_originUnwrapper.Peek((uint)press.RtpTimestamp) - _audioOriginTimestamp) * TimeSpan.TicksPerSecond / _audioOriginClockRate;
            var dtmf = new CallDtmf(CallId, press.Key, TimeSpan.FromTicks(Math.Max(0, ticksFromOrigin)), press.Duration, press);
            if (_consumer is ICallDtmfConsumer dtmfConsumer)
            {
                dtmfConsumer.OnDtmf(dtmf);
            }

            Enqueue(dtmf);
        }
    }

    private void Enqueue(SipCallEvent callEvent)
    {
        if (_events.Count >= MaxPendingEvents)
        {
            _events.Dequeue();
        }

        _events.Enqueue(callEvent);
    }

    private void QueueReceiverReport(long nowMicros)
    {
        if (_remoteRtcp is null)
        {
            return;
        }

        int length = ReceiverReportBuilder.WriteCompound(_rtcp, _reporterSsrc, _cname, _pipeline?.ReceiveStatistics, nowMicros);
        if (length > 0)
        {
            _rtcpPendingLength = length;
            _rtcpPendingTo = _remoteRtcp;
            Statistics.RtcpSent++;
        }
    }

    private readonly record struct EarlyPacket(byte[] Buffer, int Length, IPEndPoint From, long Micros);
}
