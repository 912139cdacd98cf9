using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using WebRtcAsr.Media.Pipeline;
using WebRtcAsr.Server.Archive;
using WebRtcAsr.Speech.Captions;

namespace WebRtcAsr.Server.Sessions;

/// <summary>
/// One caption stream (a WebRTC peer or a SIP call), processed by one worker task that drains a bounded queue:
/// audio blocks, client control messages, sink attach/detach, ticks and close. Transports call the Try/Async
/// methods from any thread; nothing here blocks them. Messages are stamped with the session id and a growing
/// seq, kept in an <see cref="SessionOutbox"/> until a sink takes them and replayable after a reconnect. When the
/// session ends (CloseStream, idle, transport close, reconnect grace, shutdown) its last words are flushed, a
/// Metadata message closes the stream, its finals go to the archive and everything it held is released.
/// </summary>
public sealed class CaptionSession : IAudioFrameConsumer
{
    private const int SampleRate = 16000;

    private readonly Channel<SessionInput> inputs;
    private readonly SessionServices services;
    private readonly SessionLimits limits;
    private readonly SessionOutbox outbox;
    private readonly CaptionStamper stamper;
    private readonly SessionTranscriber transcriber;
    private readonly ILogger logger;
    private readonly List<string> finals = [];
    private readonly CancellationTokenSource abort = new();
    private readonly Task<SessionEndReason> completion;
    private long lastActivity;
    private long lastWarning = long.MinValue;
    private long droppedInputs;
    private long unattachedSince;
    private int archivedFinalsDropped;
    private int ended;

    internal CaptionSession(string id, string? keyId, SessionServices services, SessionLimits limits, SessionSettings settings)
    {
        Id = id;
        KeyId = keyId;
        this.services = services;
        this.limits = limits;
        Created = services.Time.GetUtcNow();
        lastActivity = services.Time.GetTimestamp();
        unattachedSince = lastActivity;
        inputs = Channel.CreateBounded<SessionInput>(new BoundedChannelOptions(limits.InputQueue)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        outbox = new SessionOutbox(limits.OutboxCapacity, limits.ReplayCapacity);
        stamper = new CaptionStamper(id);
        logger = services.LoggerFactory.CreateLogger<CaptionSession>();
        transcriber = new SessionTranscriber(
            services.Recognizer,
            services.Scheduler,
            services.Gates.Create(),
            new ResultsFactory(services.Model, id),
            services.Metrics,
            services.Time,
            Emit)
        {
            Settings = settings,
        };
        completion = Task.Run(RunAsync);
    }

    /// <summary>The session id clients present to reconnect (a UUID).</summary>
    public string Id { get; }

    /// <summary>The API key the session was opened with (null when unauthenticated).</summary>
    public string? KeyId { get; }

    public DateTimeOffset Created { get; }

    /// <summary>The phone call this session transcribes, written to its archive record (set before audio flows; null for browsers).</summary>
    public ArchivedCall? Call { get; set; }

    /// <summary>Completes with the reason once the session has ended and released everything.</summary>
    public Task<SessionEndReason> Completion => completion;

    /// <summary>Whether the session has begun ending (inputs are refused from then on).</summary>
    public bool IsEnded => Volatile.Read(ref ended) != 0;

    /// <summary>Inputs waiting in the queue.</summary>
    public int QueuedInputs => inputs.Reader.CanCount ? inputs.Reader.Count : 0;

    /// <summary>Timestamp (TimeProvider) since which no sink is attached; null while one is.</summary>
    public long? UnattachedSince
    {
        get
        {
            var v = Volatile.Read(ref unattachedSince);
            return v == long.MinValue ? null : v;
        }
    }

    /// <summary>Whether the worker still holds a recognizer stream (false once ended: released).</summary>
    internal bool HoldsStream => transcriber.HasStream;

    internal int StreamsCreated => transcriber.StreamsCreated;

    /// <summary>Messages produced and not yet delivered (read by tests after the session ended).</summary>
    internal int PendingMessages => outbox.PendingCount;

    /// <summary>
    /// Queues a block of 16 kHz mono audio whose first sample is at <paramref name="streamSample"/> (stream time in
    /// samples; jumps forward are pauses). The samples are copied. False when the queue is full (the block is
    /// dropped, counted and answered by a Warning) or the session ended.
    /// </summary>
    public bool TryWriteAudio(ReadOnlySpan<float> samples, long streamSample)
    {
        if (IsEnded)
        {
            return false;
        }

        if (samples.IsEmpty)
        {
            return true;
        }

        // Long blocks travel as several queue items, so a pooled buffer stays small.
        var arrived = services.Time.GetTimestamp();
        var all = true;
        while (!samples.IsEmpty)
        {
            var piece = samples[..Math.Min(samples.Length, limits.MaxBlockSamples)];
            var buffer = ArrayPool<float>.Shared.Rent(piece.Length);
            piece.CopyTo(buffer);
            if (!inputs.Writer.TryWrite(new SessionInput(SessionInputKind.Audio, Samples: buffer, Length: piece.Length, StreamSample: streamSample, Timestamp: arrived)))
            {
                ArrayPool<float>.Shared.Return(buffer);
                Dropped();
                all = false;
            }

            samples = samples[piece.Length..];
            streamSample += piece.Length;
        }

        return all;
    }

    /// <summary>The audio pipeline's output (16 kHz frames) straight into the session.</summary>
    public void OnAudio(in AudioFrame frame)
    {
        if (frame.SampleRate == SampleRate)
        {
            TryWriteAudio(frame.Samples, frame.StreamSample);
        }
    }

    /// <summary>Queues a client control message (UTF-8 JSON from the data channel). False when the queue is full or the session ended.</summary>
    public bool TryWriteControl(ReadOnlySpan<byte> utf8)
    {
        if (IsEnded)
        {
            return false;
        }

        // An oversized message is not copied: only its length travels, and the worker answers with an Error.
        byte[]? buffer = null;
        if (utf8.Length <= ClientMessageParser.MaxMessageBytes)
        {
            buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, utf8.Length));
            utf8.CopyTo(buffer);
        }

        if (inputs.Writer.TryWrite(new SessionInput(SessionInputKind.Control, Bytes: buffer, Length: utf8.Length, Timestamp: services.Time.GetTimestamp())))
        {
            return true;
        }

        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        Dropped();
        return false;
    }

    /// <summary>
    /// Queues an event the transport observed for the client, such as a DTMF digit (<see cref="DtmfMessage"/>) on a
    /// SIP call; it is stamped and sent in order with the captions. False when the queue is full or the session ended.
    /// </summary>
    public bool TryWriteEvent(CaptionMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (IsEnded)
        {
            return false;
        }

        if (inputs.Writer.TryWrite(new SessionInput(SessionInputKind.Message, Message: message)))
        {
            return true;
        }

        Dropped();
        return false;
    }

    /// <summary>
    /// Attaches where messages go (the data channel opened). Everything produced before is delivered first, in
    /// order. With <paramref name="lastSeqReceived"/> (a reconnect: the last seq the client got) delivered messages
    /// after that seq are sent again first, so nothing is missing or duplicated.
    /// </summary>
    public ValueTask AttachAsync(ICaptionSink sink, long? lastSeqReceived = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        return WriteLifecycleAsync(new SessionInput(SessionInputKind.Attach, Sink: sink, LastSeq: lastSeqReceived, Timestamp: services.Time.GetTimestamp()));
    }

    /// <summary>The sink went away (data channel closed, peer lost): messages wait for a reconnect.</summary>
    public ValueTask DetachAsync() => WriteLifecycleAsync(new SessionInput(SessionInputKind.Detach, Timestamp: services.Time.GetTimestamp()));

    /// <summary>Ends the session (flushing its last words); completes when it has ended.</summary>
    public async Task<SessionEndReason> CloseAsync(SessionEndReason reason)
    {
        await WriteLifecycleAsync(new SessionInput(SessionInputKind.Close, Reason: reason)).ConfigureAwait(false);
        return await completion.ConfigureAwait(false);
    }

    /// <summary>Asks the worker to check its idle timeout (the registry's sweep does this).</summary>
    internal bool TryTick() => !IsEnded && inputs.Writer.TryWrite(new SessionInput(SessionInputKind.Tick, Timestamp: services.Time.GetTimestamp()));

    /// <summary>Stops waiting for decodes (shutdown past its deadline).</summary>
    internal void Abort() => abort.Cancel();

    private async ValueTask WriteLifecycleAsync(SessionInput input)
    {
        try
        {
            await inputs.Writer.WriteAsync(input).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // Already ended: nothing to attach to or close.
        }
    }

    private void Dropped()
    {
        Interlocked.Increment(ref droppedInputs);
        services.Metrics.SessionInputQueueFull.Add();
    }

    private async Task<SessionEndReason> RunAsync()
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["SessionId"] = Id });
        logger.LogInformation("Session started (key {KeyId})", KeyId ?? "-");
        var reason = SessionEndReason.Failed;
        try
        {
            reason = await DrainAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            reason = SessionEndReason.Shutdown;
        }
#pragma warning disable CA1031 // a failing session ends alone; the process and other sessions go on
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "Session failed");
            Emit(new ErrorMessage { Code = "internal_error", Description = "recognition failed; the session ends" });
        }

        await EndAsync(reason).ConfigureAwait(false);
        return reason;
    }

    private async Task<SessionEndReason> DrainAsync()
    {
        var reader = inputs.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var input))
            {
                var endReason = await HandleAsync(input).ConfigureAwait(false);
                if (endReason is { } r)
                {
                    return r;
                }

                WarnIfDropped();
            }
        }

        return SessionEndReason.TransportClosed;
    }

    // Pooled: an audio block that waits for its decode would otherwise allocate a state machine box each time.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<SessionEndReason?> HandleAsync(SessionInput input)
    {
        switch (input.Kind)
        {
            case SessionInputKind.Audio:
                try
                {
                    lastActivity = input.Timestamp;
                    await transcriber.AcceptAsync(input.Samples.AsMemory(0, input.Length), input.StreamSample, input.Timestamp, abort.Token).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(input.Samples!);
                }

                return null;
            case SessionInputKind.Control when input.Bytes is null:
                services.Metrics.ClientErrors.Add();
                Emit(new ErrorMessage { Code = "bad_request", Description = $"message is {input.Length} bytes; control messages are at most {ClientMessageParser.MaxMessageBytes}" });
                return null;
            case SessionInputKind.Control:
                try
                {
                    return await HandleControlAsync(input.Bytes.AsMemory(0, input.Length), input.Timestamp).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(input.Bytes);
                }

            case SessionInputKind.Attach:
                if (!outbox.Attach(input.Sink!, input.LastSeq))
                {
                    Emit(new WarningMessage { Code = "replay_gap", Description = $"messages after seq {input.LastSeq} are no longer kept; some were lost" });
                }

                NoteAttachment(input.Timestamp);
                logger.LogInformation("Sink attached (resume after seq {LastSeq})", input.LastSeq);
                return null;
            case SessionInputKind.Detach:
                outbox.Detach();
                NoteAttachment(input.Timestamp);
                logger.LogInformation("Sink detached");
                return null;
            case SessionInputKind.Tick:
                return services.Time.GetElapsedTime(lastActivity, input.Timestamp) >= limits.IdleTimeout ? SessionEndReason.IdleTimeout : null;
            case SessionInputKind.Close:
                return input.Reason;
            case SessionInputKind.Message:
                Emit(input.Message!);
                return null;
            default:
                return null;
        }
    }

    private async ValueTask<SessionEndReason?> HandleControlAsync(ReadOnlyMemory<byte> utf8, long arrived)
    {
        if (!ClientMessageParser.TryParse(utf8.Span, out var message, out var error))
        {
            services.Metrics.ClientErrors.Add();
            Emit(new ErrorMessage { Code = "bad_request", Description = error ?? "unreadable control message" });
            return null;
        }

        switch (message)
        {
            case KeepAliveRequest:
                lastActivity = arrived;
                return null;
            case FinalizeRequest:
                lastActivity = arrived;
                await transcriber.FlushAsync(fromFinalize: true, speechFinal: false, abort.Token).ConfigureAwait(false);
                return null;
            case CloseStreamRequest:
                return SessionEndReason.ClientClosed;
            case ConfigureRequest configure:
                if (configure.Model is { } model && model != services.Model.Name)
                {
                    services.Metrics.ClientErrors.Add();
                    Emit(new ErrorMessage { Code = "bad_request", Description = $"model \"{model}\" is not served here (this server runs \"{services.Model.Name}\")" });
                    return null;
                }

                transcriber.Settings = transcriber.Settings.With(configure);
                return null;
            default:
                return null;
        }
    }

    private void NoteAttachment() => NoteAttachment(services.Time.GetTimestamp());

    private void NoteAttachment(long now)
    {
        var current = Volatile.Read(ref unattachedSince);
        Volatile.Write(ref unattachedSince, outbox.IsAttached ? long.MinValue : (current == long.MinValue ? now : current));
    }

    private void WarnIfDropped()
    {
        if (Volatile.Read(ref droppedInputs) == 0)
        {
            return;
        }

        var now = services.Time.GetTimestamp();
        if (lastWarning != long.MinValue && services.Time.GetElapsedTime(lastWarning, now) < limits.WarningInterval)
        {
            return;
        }

        lastWarning = now;
        var dropped = Interlocked.Exchange(ref droppedInputs, 0);
        logger.LogWarning("Overloaded: {Dropped} inputs dropped", dropped);
        Emit(new WarningMessage { Code = "overload", Description = $"the server could not keep up: {dropped} audio blocks or messages were dropped" });
    }

    private void Emit(CaptionMessage message)
    {
        var stamped = stamper.Stamp(message);
        var json = CaptionJson.Serialize(stamped);
        services.Metrics.MessagesSent.Add(TypeOf(stamped));
        if (stamped is ResultsMessage { IsFinal: true })
        {
            if (finals.Count < limits.MaxArchivedFinals)
            {
                finals.Add(json);
            }
            else
            {
                archivedFinalsDropped++;
            }
        }

        outbox.Add(stamped, json);
        NoteAttachment();
    }

    private async Task EndAsync(SessionEndReason reason)
    {
        Volatile.Write(ref ended, 1);
        inputs.Writer.TryComplete();
        if (reason != SessionEndReason.Failed)
        {
            try
            {
                await transcriber.FinishAsync(abort.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the end goes on: Metadata, archive and release must happen
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogWarning(ex, "Flushing the last words failed");
            }
        }

        var duration = transcriber.SamplesReceived / (double)SampleRate;
        Emit(new MetadataMessage
        {
            RequestId = Id,
            Created = Created,
            Duration = Math.Round(duration, 3),
            Models = [services.Model.Name],
            ModelInfo = new Dictionary<string, ModelInfo> { [services.Model.Name] = services.Model },
        });

        while (inputs.Reader.TryRead(out var left))
        {
            if (left.Samples is not null)
            {
                ArrayPool<float>.Shared.Return(left.Samples);
            }

            if (left.Bytes is not null)
            {
                ArrayPool<byte>.Shared.Return(left.Bytes);
            }
        }

        if (duration > 0)
        {
            services.Metrics.RealTimeFactor.Observe(transcriber.DecodeTime.TotalSeconds / duration);
        }

        if (services.Archive is { } archive && finals.Count > 0)
        {
            archive.TryEnqueue(new ArchivedSession(Id, KeyId, Created, services.Time.GetUtcNow(), reason.ToString(), [.. finals]) { Call = Call });
        }

        if (archivedFinalsDropped > 0)
        {
            logger.LogWarning("{Count} final results were not archived (limit {Limit})", archivedFinalsDropped, limits.MaxArchivedFinals);
        }

        finals.Clear();
        outbox.Clear();
        transcriber.Dispose();
        services.Metrics.SessionsEnded.Add(reason.ToString());
        logger.LogInformation("Session ended: {Reason}, {Duration:0.0} s of audio, last seq {Seq}", reason, duration, stamper.NextSeq - 1);
    }

    private static string TypeOf(CaptionMessage message) => message switch
    {
        ResultsMessage => "Results",
        SpeechStartedMessage => "SpeechStarted",
        UtteranceEndMessage => "UtteranceEnd",
        MetadataMessage => "Metadata",
        WarningMessage => "Warning",
        ErrorMessage => "Error",
        DtmfMessage => "Dtmf",
        _ => "Other",
    };
}
