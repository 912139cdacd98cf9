using WebRtcAsr.Media.Pipeline;
using WebRtcAsr.Rtc.DataChannels;
using WebRtcAsr.Rtc.PeerConnection;
using WebRtcAsr.Rtc.Transport;
using WebRtcAsr.Server.Metrics;
using WebRtcAsr.Server.Sessions;

namespace WebRtcAsr.Server.Browser;

/// <summary>
/// One browser peer bound to its caption session: the peer's audio RTP goes through an <see cref="AudioPipeline"/>
/// into the session, the "captions" data channel is the session's sink, channel messages are its control input.
/// Everything but <see cref="Superseded"/> is touched only on the peer's worker (events and posted commands), so it
/// needs no locks; a timer only posts a tick for the jitter buffer's deadline.
/// </summary>
internal sealed class BrowserCall : IDisposable
{
    /// <summary>The data channel label the page opens for captions.</summary>
    public const string CaptionsLabel = "captions";

    private const long ReportIntervalMicros = 1_000_000;
    private const long BacklogRetryMicros = 20_000;
    private const int SinkCapacity = 512;

    private readonly AudioPipeline pipeline;
    private readonly MediaStatisticsReporter reporter;
    private readonly IMonotonicClock clock;
    private readonly Timer timer;
    private readonly Action<PeerConnection, long> tick;
    private long? resumeAfterSeq;
    private long armedAt = long.MaxValue;
    private long lastReport;
    private bool detached;
    private bool removed;
    private volatile bool superseded;

    public BrowserCall(string peerId, CaptionSession session, long? resumeAfterSeq, PayloadTypeMap payloadTypes, ServerMetrics metrics, IMonotonicClock clock)
    {
        PeerId = peerId;
        Session = session;
        this.resumeAfterSeq = resumeAfterSeq;
        this.clock = clock;
        pipeline = new AudioPipeline(payloadTypes, session);
        reporter = new MediaStatisticsReporter(metrics);
        tick = (_, _) => Tick();
        timer = new Timer(static state => ((BrowserCall)state!).PostTick(), this, Timeout.Infinite, Timeout.Infinite);
        lastReport = clock.NowMicros;
    }

    public string PeerId { get; }

    public CaptionSession Session { get; }

    /// <summary>The transport's handle on the peer, once it is served.</summary>
    public TransportPeer? Peer { get; set; }

    /// <summary>A newer peer (a reconnect) took the session over: this one no longer detaches it.</summary>
    public bool Superseded
    {
        get => superseded;
        set => superseded = value;
    }

    /// <summary>The pipeline's counters (worker only; tests read them after the peer is gone).</summary>
    public AudioPipelineStatistics AudioStatistics => pipeline.Statistics;

    /// <summary>The sink of the open captions channel, if any.</summary>
    public DataChannelCaptionSink? Sink { get; private set; }

    /// <summary>Builds the payload type map from what the offer/answer negotiated.</summary>
    public static PayloadTypeMap PayloadTypes(PeerConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var map = new PayloadTypeMap();
        foreach (var codec in connection.Negotiation?.AudioCodecs ?? [])
        {
            if (codec.PayloadType is >= 0 and <= 127)
            {
                map.Add(codec.PayloadType, codec.EncodingName);
            }
        }

        return map;
    }

    public void OnAudio(ReadOnlySpan<byte> rtp)
    {
        if (removed)
        {
            return;
        }

        long now = clock.NowMicros;
        pipeline.Receive(rtp, now);
        Service(now);
    }

    public void OnChannelOpened(DataChannel channel)
    {
        if (removed || Sink is not null || channel.Label != CaptionsLabel || Peer is null)
        {
            return;
        }

        Sink = new DataChannelCaptionSink(Peer, channel, SinkCapacity);
        var resume = resumeAfterSeq;
        resumeAfterSeq = null;
        _ = Session.AttachAsync(Sink, resume).AsTask();
    }

    public void OnChannelMessage(DataChannel channel, ReadOnlySpan<byte> message)
    {
        if (!removed && Sink is { } sink && ReferenceEquals(sink.Channel, channel))
        {
            Session.TryWriteControl(message);
        }
    }

    public void OnChannelClosed(DataChannel channel)
    {
        if (Sink is { } sink && ReferenceEquals(sink.Channel, channel))
        {
            sink.Close();
            Detach();
        }
    }

    /// <summary>The peer is gone: the rest of its audio goes to the session, which waits (reconnect grace) for a new sink.</summary>
    public void OnRemoved()
    {
        if (removed)
        {
            return;
        }

        removed = true;
        Sink?.Close();
        pipeline.Flush();
        if (pipeline.JitterStatistics is { } statistics)
        {
            reporter.Report(statistics);
        }

        Detach();
        Dispose();
    }

    public void Dispose()
    {
        timer.Dispose();
        pipeline.Dispose();
    }

    private void Tick()
    {
        if (removed)
        {
            return;
        }

        armedAt = long.MaxValue; // fired: arm again
        long now = clock.NowMicros;
        if (pipeline.NextTimeoutMicros is { } due && due <= now)
        {
            pipeline.Poll(now);
        }

        Service(now);
    }

    /// <summary>Sends the sink's backlog, reports media statistics now and then, and arms the timer for the next deadline.</summary>
    private void Service(long now)
    {
        if (Sink is { HasBacklog: true } sink && Peer is not null)
        {
            sink.Drain(Peer.Connection, now);
        }

        if (now - lastReport >= ReportIntervalMicros && pipeline.JitterStatistics is { } statistics)
        {
            lastReport = now;
            reporter.Report(statistics);
        }

        long due = pipeline.NextTimeoutMicros ?? long.MaxValue;
        if (Sink is { HasBacklog: true })
        {
            due = Math.Min(due, now + BacklogRetryMicros);
        }

        if (due == armedAt)
        {
            return;
        }

        armedAt = due;
        timer.Change(due == long.MaxValue ? Timeout.Infinite : Math.Max(0, (due - now + 999) / 1000), Timeout.Infinite);
    }

    private void PostTick() => Peer?.TryPost(tick);

    /// <summary>
    /// Once per call, unless a newer peer took the session over (its sink is the session's now). Also when this call
    /// never attached: a sink of a peer this one superseded may still be attached and must go.
    /// </summary>
    private void Detach()
    {
        if (!detached && !superseded)
        {
            detached = true;
            _ = Session.DetachAsync().AsTask();
        }
    }
}
