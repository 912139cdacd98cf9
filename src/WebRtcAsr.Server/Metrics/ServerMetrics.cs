using WebRtcAsr.Speech.Scheduling;

namespace WebRtcAsr.Server.Metrics;

/// <summary>
/// The server's metrics, one place that names them all. Sessions, the archive and the transports report here;
/// GET /metrics writes <see cref="Registry"/>.
/// </summary>
public sealed class ServerMetrics
{
    private static readonly double[] LatencyBuckets = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10];
    private static readonly double[] JitterBuckets = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32];
    private static readonly double[] RatioBuckets = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2];

    private InferenceScheduler? scheduler;
    private Func<int>? queuedInputs;

    public ServerMetrics()
        : this(new MetricsRegistry())
    {
    }

    public ServerMetrics(MetricsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Registry = registry;
        SessionsActive = registry.Gauge("webrtcasr_sessions_active", "Caption sessions open now.");
        SessionsTotal = registry.Counter("webrtcasr_sessions_total", "Caption sessions created.");
        SessionsRefused = registry.Counter("webrtcasr_sessions_refused_total", "Session requests refused, by reason.", "reason");
        SessionsEnded = registry.Counter("webrtcasr_sessions_ended_total", "Sessions ended, by reason.", "reason");
        SessionInputQueueFull = registry.Counter("webrtcasr_session_input_dropped_total", "Session inputs dropped because the session's queue was full.");
        registry.Gauge("webrtcasr_session_input_queue_depth", "Inputs waiting in all session queues.", () => queuedInputs?.Invoke() ?? 0);
        MessagesSent = registry.Counter("webrtcasr_caption_messages_total", "Caption messages produced, by type.", "type");
        ClientErrors = registry.Counter("webrtcasr_client_message_errors_total", "Client control messages refused.");
        PacketsReceived = registry.Counter("webrtcasr_rtp_packets_received_total", "RTP audio packets received.");
        PacketsLost = registry.Counter("webrtcasr_rtp_packets_lost_total", "RTP audio packets lost (never arrived in time).");
        ConcealedPackets = registry.Counter("webrtcasr_rtp_packets_concealed_total", "Lost RTP packets concealed (Opus FEC or PLC, G.711 Appendix I).");
        Jitter = registry.Histogram("webrtcasr_rtp_jitter_seconds", "Interarrival jitter reported per stream.", JitterBuckets);
        AudioSamples = registry.Counter("webrtcasr_audio_samples_total", "16 kHz samples received by sessions.");
        SpeechSamples = registry.Counter("webrtcasr_vad_speech_samples_total", "16 kHz samples the VAD gate forwarded to the recognizer.");
        registry.Gauge("webrtcasr_vad_speech_ratio", "Share of received audio forwarded as speech (since start).", SpeechRatio);
        registry.Gauge("webrtcasr_inference_queue_depth", "Streams waiting for the inference scheduler.", () => Math.Max(0, scheduler?.QueueLength ?? 0));
        registry.Gauge("webrtcasr_inference_batches", "Encoder batches run since start.", () => scheduler?.Batches ?? 0);
        registry.Gauge("webrtcasr_inference_mean_batch_size", "Stream chunks per encoder batch, since start.", MeanBatchSize);
        RealTimeFactor = registry.Histogram("webrtcasr_session_realtime_factor", "Per session: seconds spent decoding per second of audio.", RatioBuckets);
        FirstPartialLatency = registry.Histogram("webrtcasr_word_first_partial_latency_seconds", "From arrival of the audio that completed a word to the first message showing it.", LatencyBuckets);
        FinalLatency = registry.Histogram("webrtcasr_word_final_latency_seconds", "From arrival of the audio that completed a word to the final message holding it.", LatencyBuckets);
        ArchiveWritten = registry.Counter("webrtcasr_archive_lines_total", "Final results written to the archive.");
        ArchiveDropped = registry.Counter("webrtcasr_archive_dropped_total", "Ended sessions not archived (queue full or write failed).");
        AuthRefused = registry.Counter("webrtcasr_auth_refused_total", "Requests refused by authentication, by reason.", "reason");
    }

    public MetricsRegistry Registry { get; }

    public Gauge SessionsActive { get; }

    public Counter SessionsTotal { get; }

    public Counter SessionsRefused { get; }

    public Counter SessionsEnded { get; }

    public Counter SessionInputQueueFull { get; }

    public Counter MessagesSent { get; }

    public Counter ClientErrors { get; }

    public Counter PacketsReceived { get; }

    public Counter PacketsLost { get; }

    public Counter ConcealedPackets { get; }

    public Histogram Jitter { get; }

    public Counter AudioSamples { get; }

    public Counter SpeechSamples { get; }

    public Histogram RealTimeFactor { get; }

    public Histogram FirstPartialLatency { get; }

    public Histogram FinalLatency { get; }

    public Counter ArchiveWritten { get; }

    public Counter ArchiveDropped { get; }

    public Counter AuthRefused { get; }

    /// <summary>
    /// What a transport reports for one media stream since its last report (deltas, not totals): packets received,
    /// lost and concealed, and the current interarrival jitter. <see cref="MediaStatisticsReporter"/> turns an
    /// audio pipeline's running totals into these deltas.
    /// </summary>
    public void ReportMedia(long packetsReceived, long packetsLost, long packetsConcealed, double jitterSeconds)
    {
        PacketsReceived.Add(Math.Max(0, packetsReceived));
        PacketsLost.Add(Math.Max(0, packetsLost));
        ConcealedPackets.Add(Math.Max(0, packetsConcealed));
        if (jitterSeconds >= 0)
        {
            Jitter.Observe(jitterSeconds);
        }
    }

    /// <summary>Reads the scheduler's queue and batch counters at scrape time.</summary>
    public void Observe(InferenceScheduler inference) => scheduler = inference;

    /// <summary>Reads the sessions' queued inputs at scrape time.</summary>
    public void ObserveSessionQueues(Func<int> count) => queuedInputs = count;

    private double SpeechRatio()
    {
        var total = AudioSamples.Value;
        return total == 0 ? 0 : SpeechSamples.Value / (double)total;
    }

    private double MeanBatchSize()
    {
        var s = scheduler;
        return s is null || s.Batches == 0 ? 0 : s.StreamsDecoded / (double)s.Batches;
    }
}
