using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WebRtcAsr.Media.Pipeline;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Transport;

namespace WebRtcAsr.Sip.Media;

/// <summary>
/// The glue between the SIP core's call events and each call's media: reads <see cref="SipTransportHost.Events"/>,
/// binds a <see cref="CallMedia"/> when a call is offered (its reserved port), starts it with the consumer the
/// application gives for the call when the call starts, updates it on re-INVITE, closes it when the call ends,
/// and asks the SIP core for a BYE when a call's media stops. Every SIP event is passed on in <see cref="Events"/>,
/// together with <see cref="CallDtmf"/>, <see cref="CallMediaStopped"/> and <see cref="CallMediaClosed"/>.
/// </summary>
public sealed class CallMediaHost : IAsyncDisposable
{
    private readonly ChannelReader<SipCallEvent> _sipEvents;
    private readonly Func<string, bool> _endCall;
    private readonly Func<string, bool> _reportMediaStopped;
    private readonly Func<CallStarted, IAudioFrameConsumer> _consumerFactory;
    private readonly Func<string, bool>? _reportMediaReady;
    private readonly Func<string, int, string, bool>? _rejectCall;
    private readonly CallMediaHostOptions _options;
    private readonly Func<long> _nowMicros;
    private readonly ILogger _logger;
    private readonly Channel<SipCallEvent> _events;
    private readonly Dictionary<string, CallMedia> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _closing = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _eventsDropped;
    private int _activeCalls;

    /// <summary>Runs on a <see cref="SipTransportHost"/> (its Events must have no other reader).</summary>
    public CallMediaHost(SipTransportHost sip, Func<CallStarted, IAudioFrameConsumer> consumerFactory, CallMediaHostOptions? options = null,
        Func<long>? nowMicros = null, ILogger? logger = null)
        : this((sip ?? throw new ArgumentNullException(nameof(sip))).Events, sip.EndCall, sip.ReportMediaStopped, consumerFactory, options, nowMicros, logger)
    {
        _reportMediaReady = sip.ReportMediaReady;
        _rejectCall = sip.RejectCall;
    }

    /// <summary>
    /// Decides, when a call is offered and before its port is bound, whether the application takes it (null) or
    /// refuses it (a <see cref="CallRefusal"/>: the SIP core answers with its status). Runs on the host loop.
    /// </summary>
    public Func<CallOffered, CallRefusal?>? Admission { get; init; }

    /// <param name="sipEvents">The SIP core's call events.</param>
    /// <param name="endCall">Ends a call (BYE, or 480 while ringing): used for calls refused here.</param>
    /// <param name="reportMediaStopped">Ends a call whose media stopped (BYE with a Reason).</param>
    /// <param name="consumerFactory">Gives the consumer of a started call's 16 kHz audio (and DTMF, through
    /// <see cref="ICallDtmfConsumer"/>); called on the host loop, the consumer is then called on the call's owner task.</param>
    /// <param name="options">Bind address, call limit, per-call settings.</param>
    /// <param name="nowMicros">Monotonic clock in microseconds (default: <see cref="Stopwatch"/>).</param>
    /// <param name="logger">Optional logger.</param>
    public CallMediaHost(ChannelReader<SipCallEvent> sipEvents, Func<string, bool> endCall, Func<string, bool> reportMediaStopped,
        Func<CallStarted, IAudioFrameConsumer> consumerFactory, CallMediaHostOptions? options = null, Func<long>? nowMicros = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(sipEvents);
        ArgumentNullException.ThrowIfNull(endCall);
        ArgumentNullException.ThrowIfNull(reportMediaStopped);
        ArgumentNullException.ThrowIfNull(consumerFactory);
        _sipEvents = sipEvents;
        _endCall = endCall;
        _reportMediaStopped = reportMediaStopped;
        _consumerFactory = consumerFactory;
        _options = options ?? new CallMediaHostOptions();
        var clock = Stopwatch.StartNew();
        _nowMicros = nowMicros ?? (() => (long)clock.Elapsed.TotalMicroseconds);
        _logger = logger ?? NullLogger.Instance;
        _events = Channel.CreateBounded<SipCallEvent>(new BoundedChannelOptions(_options.EventQueueCapacity)
        {
            SingleReader = false,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>SIP call events passed on, plus <see cref="CallDtmf"/>, <see cref="CallMediaStopped"/>, <see cref="CallMediaClosed"/>.</summary>
    public ChannelReader<SipCallEvent> Events => _events.Reader;

    /// <summary>Calls whose media is open now.</summary>
    public int ActiveCalls => Volatile.Read(ref _activeCalls);

    /// <summary>Calls whose media was opened.</summary>
    public long CallsOpened { get; private set; }

    /// <summary>Calls ended because <see cref="CallMediaHostOptions.MaxCalls"/> were open.</summary>
    public long CallsRefused { get; private set; }

    /// <summary>Calls ended because their RTP/RTCP ports could not be bound.</summary>
    public long BindFailures { get; private set; }

    /// <summary>Calls for which a media timeout was reported to the SIP core.</summary>
    public long MediaTimeouts => Interlocked.Read(ref _mediaTimeouts);

    /// <summary>Events dropped because nobody read <see cref="Events"/>.</summary>
    public long EventsDropped => Interlocked.Read(ref _eventsDropped);

    private long _mediaTimeouts;
    private int _disposed;

    public void Start() => _loop = Task.Run(RunAsync);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        foreach (var media in _calls.Values)
        {
            Track(media.CloseAsync());
        }

        _calls.Clear();
        await Task.WhenAll(_closing.Keys).ConfigureAwait(false);
        _events.Writer.TryComplete();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (var callEvent in _sipEvents.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                // Passed on first, so a call's CallEnded comes before the CallMediaClosed its handling causes.
                Publish(callEvent);
                try
                {
                    Handle(callEvent);
                }
#pragma warning disable CA1031 // One call's failure must not stop the media of every call.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    _logger.LogError(e, "call media host failed on {Event}", callEvent);
                    if (callEvent is CallOffered or CallStarted)
                    {
                        // A call whose media could not be set up (e.g. the consumer factory threw) must not live on
                        // unwatched: end it.
                        _endCall(callEvent.CallId);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Handle(SipCallEvent callEvent)
    {
        switch (callEvent)
        {
            case CallOffered offered:
                Open(offered);
                break;
            case CallStarted started when _calls.TryGetValue(started.CallId, out var media):
                media.Start(started.Media, _consumerFactory(started));
                break;
            case CallUpdated updated when _calls.TryGetValue(updated.CallId, out var media):
                media.Update(updated.Media);
                break;
            case CallEnded ended when _calls.Remove(ended.CallId, out var media):
                Interlocked.Decrement(ref _activeCalls);
                Track(media.CloseAsync());
                break;
        }
    }

    private void Open(CallOffered offered)
    {
        if (_calls.ContainsKey(offered.CallId))
        {
            return;
        }

        if (_calls.Count >= _options.MaxCalls)
        {
            CallsRefused++;
            _logger.LogWarning("call {CallId} refused: {Max} calls have media", offered.CallId, _options.MaxCalls);
            Refuse(offered.CallId, new CallRefusal(486, $"{_options.MaxCalls} calls in progress"));
            return;
        }

        if (Admission?.Invoke(offered) is { } refusal)
        {
            CallsRefused++;
            _logger.LogInformation("call {CallId} refused by the application: {Status} {Reason}", offered.CallId, refusal.Status, refusal.Reason);
            Refuse(offered.CallId, refusal);
            return;
        }

        var media = new CallMedia(offered.CallId, new IPEndPoint(_options.BindAddress, offered.LocalRtpPort), _options.Media, _nowMicros, OnMediaEvent, _logger);
        try
        {
            media.Open();
        }
        catch (SocketException e)
        {
            BindFailures++;
            _logger.LogWarning(e, "call {CallId}: RTP port {Port} could not be bound", offered.CallId, offered.LocalRtpPort);
            Track(media.DisposeAsync().AsTask());
            Refuse(offered.CallId, new CallRefusal(503, "media port unavailable"));
            return;
        }

        _calls.Add(offered.CallId, media);
        CallsOpened++;
        Interlocked.Increment(ref _activeCalls);
        Publish(new CallMediaOpened(offered.CallId, media.LocalRtp));
        _reportMediaReady?.Invoke(offered.CallId);
    }

    /// <summary>Refuses with a status when the SIP core takes refusals, else ends the call (480 while ringing).</summary>
    private void Refuse(string callId, CallRefusal refusal)
    {
        if (_rejectCall is not null)
        {
            _rejectCall(callId, refusal.Status, refusal.Reason);
        }
        else
        {
            _endCall(callId);
        }
    }

    /// <summary>Runs on a call's owner task.</summary>
    private void OnMediaEvent(SipCallEvent callEvent)
    {
        if (callEvent is CallMediaStopped)
        {
            Interlocked.Increment(ref _mediaTimeouts);
            _reportMediaStopped(callEvent.CallId);
        }

        Publish(callEvent);
    }

    private void Publish(SipCallEvent callEvent)
    {
        if (!_events.Writer.TryWrite(callEvent))
        {
            Interlocked.Increment(ref _eventsDropped);
        }
    }

    private void Track(Task closing)
    {
        _closing.TryAdd(closing, 0);
        _ = closing.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(t, out _), _closing,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
