using Microsoft.Extensions.Logging;
using WebRtcAsr.Server.Archive;
using WebRtcAsr.Server.Metrics;
using WebRtcAsr.Speech.Captions;
using WebRtcAsr.Speech.Recognition;
using WebRtcAsr.Speech.Scheduling;

namespace WebRtcAsr.Server.Sessions;

/// <summary>What every session shares: the recognizer and its scheduler, the gate factory, metrics, the archive and the clock.</summary>
public sealed record SessionServices(
    OnlineRecognizer Recognizer,
    InferenceScheduler Scheduler,
    ISpeechGateFactory Gates,
    ModelInfo Model,
    ServerMetrics Metrics,
    ITranscriptArchive? Archive,
    TimeProvider Time,
    ILoggerFactory LoggerFactory);

/// <summary>Per-session bounds and timeouts.</summary>
public sealed record SessionLimits
{
    /// <summary>Audio blocks and control messages that may wait; more are dropped (counted, answered by a Warning).</summary>
    public int InputQueue { get; init; } = 256;

    public int OutboxCapacity { get; init; } = 512;

    public int ReplayCapacity { get; init; } = 512;

    /// <summary>Final results kept for the archive; later ones are not archived (counted).</summary>
    public int MaxArchivedFinals { get; init; } = 4096;

    /// <summary>No audio and no KeepAlive for this long ends the session.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest audio block one queue item holds, in samples (longer blocks are split); 60 ms at 16 kHz.</summary>
    public int MaxBlockSamples { get; init; } = 960;

    /// <summary>Least time between two overload Warnings.</summary>
    public TimeSpan WarningInterval { get; init; } = TimeSpan.FromSeconds(1);
}
