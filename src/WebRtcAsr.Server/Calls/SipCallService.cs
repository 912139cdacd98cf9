using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using WebRtcAsr.Server.Archive;
using WebRtcAsr.Server.Configuration;
using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Server.Signaling;
using WebRtcAsr.Sip;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Media;
using WebRtcAsr.Sip.Security;
using WebRtcAsr.Sip.Transport;

namespace WebRtcAsr.Server.Calls;

/// <summary>
/// Runs the SIP trunk endpoint in the server: the SIP transports and the call media host, and makes every call a
/// caption session on the same registry (limits), recognizer, VAD and archive as browsers. A call is admitted when
/// it is offered (a session limit answers 503 with the reason), answered once its RTP port is bound, and its session
/// ends when the call does (BYE, CANCEL, media timeout, server shutdown) after the media has flushed its last audio.
/// A session that ends on its own (it failed) hangs its call up.
/// </summary>
public sealed partial class SipCallService(
    IOptions<ServerOptions> options,
    SessionRegistry registry,
    CallDirectory directory,
    CallMetrics metrics,
    IHubContext<SignalingHub> hub,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILoggerFactory loggers) : IHostedLifecycleService, IAsyncDisposable
{
    /// <summary>The key id call sessions are opened under (not a valid API key id, so no client can resume one).</summary>
    public const string SessionKeyId = "sip:trunk";

    /// <summary>Time left to SignalR's transports to send the calls' last messages at shutdown.</summary>
    private static readonly TimeSpan FlushGrace = TimeSpan.FromMilliseconds(300);

    private static readonly byte[] KeepAlive = Encoding.UTF8.GetBytes("{\"type\":\"KeepAlive\"}");
    private readonly ILogger logger = loggers.CreateLogger<SipCallService>();
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> closing = [];
    private readonly Lock hangUpGate = new();
    private Task? hangingUp;
    private SipTransportHost? sip;
    private CallMediaHost? media;
    private Task? loop;
    private Task? keepAlive;

    /// <summary>The SIP UDP endpoint (with the real port when 0 was configured); null when SIP is off.</summary>
    public IPEndPoint? UdpEndpoint => sip?.UdpEndpoint;

    public IPEndPoint? TcpEndpoint => sip?.TcpEndpoint;

    /// <summary>The SIP core's counters, read on its loop.</summary>
    public Task<SipServerCounters>? CountersAsync() => sip?.InspectAsync(s => s.Counters);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var all = options.Value;
        var o = all.Sip;
        if (!o.Enabled)
        {
            LogDisabled(logger);
            return;
        }

        var listen = IPAddress.Parse(o.ListenAddress);
        var port = o.Port == 0 ? FreePort(listen, o.Tcp) : o.Port;
        // One public address serves WebRTC and SIP unless SIP has its own (a trunk on another interface).
        var advertised = (o.PublicAddress ?? all.PublicAddress) is { } pub ? IPAddress.Parse(pub) : Advertised(listen);
        var server = new SipServer(
            new SipServerOptions
            {
                SignalingHost = advertised.ToString(),
                SignalingPort = port,
                MediaAddress = advertised,
                MediaPortFirst = o.MediaPortFirst,
                MediaPortLast = o.MediaPortLast,
                RingingDuration = TimeSpan.FromMilliseconds(o.RingingMs),
                AnswerAfterMediaReady = true,
                MaxCalls = o.MaxCalls,
                AllowedSources = [.. o.EffectiveAllowedSources],
                RequestsPerSecondPerSource = o.RequestsPerSecondPerSource,
                RequestBurstPerSource = o.RequestBurstPerSource,
                Authentication = o.Users.Length == 0 ? null : new DigestAuthOptions
                {
                    Realm = o.Realm,
                    Passwords = o.Users.ToDictionary(u => u.Name, u => u.Password, StringComparer.Ordinal),
                    NonceKey = RandomNumberGenerator.GetBytes(32),
                    Algorithms = o.DigestAlgorithms is { Length: > 0 } names
                        ? [.. names.Select(n => DigestComputation.TryParseName(n, out var a, out _) ? a : DigestAlgorithm.Sha256).Distinct()]
                        : [DigestAlgorithm.Sha256, DigestAlgorithm.Md5],
                },
            },
            loggers.CreateLogger<SipServer>());
        metrics.Observe(server.Counters);
        var endpoint = new IPEndPoint(listen, port);
        sip = new SipTransportHost(server, new SipTransportOptions { Udp = endpoint, Tcp = o.Tcp ? endpoint : null }, loggers.CreateLogger<SipTransportHost>());
        try
        {
            sip.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied or SocketError.AddressNotAvailable)
        {
            await sip.DisposeAsync().ConfigureAwait(false);
            sip = null;
            var why = e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => "is already in use (another SIP server or softphone on this machine?)",
                SocketError.AccessDenied => "may not be opened by this user",
                _ => "is not an address of this machine",
            };
            throw new OptionsValidationException(ServerOptions.Section, typeof(ServerOptions),
                [$"SIP port {endpoint} {why}: set {ServerOptions.Section}:Sip:Port to a free port, or {ServerOptions.Section}:Sip:Enabled to false"]);
        }

        media = new CallMediaHost(
            sip,
            started => directory.Find(started.CallId) ?? throw new InvalidOperationException($"call {started.CallId} has no session"),
            new CallMediaHostOptions
            {
                BindAddress = listen,
                MaxCalls = o.MaxCalls,
                Media = new CallMediaOptions { InactivityTimeout = TimeSpan.FromSeconds(o.MediaInactivitySeconds) },
            },
            logger: loggers.CreateLogger<CallMediaHost>())
        {
            Admission = offered => Admit(offered, all.Limits.ReplayCapacity),
        };
        media.Start();
        loop = Task.Run(() => RunAsync(media, stop.Token), CancellationToken.None);
        keepAlive = Task.Run(() => KeepSessionsAliveAsync(TimeSpan.FromSeconds(Math.Max(0.1, all.Timeouts.IdleSeconds / 3)), stop.Token), CancellationToken.None);
        // SIGTERM / Ctrl+C signal ApplicationStopping before the hosted services stop, and SignalR closes its
        // connections on that signal; callbacks run last-registered first, so this one (registered after SignalR's)
        // hangs the calls up while viewers are still connected. It blocks that signal's thread on purpose, bounded.
        lifetime.ApplicationStopping.Register(() => HangUpAllAsync().Wait(ShutdownBudget() + TimeSpan.FromSeconds(1)));
        LogListening(logger, sip.UdpEndpoint!.ToString(), sip.TcpEndpoint?.ToString() ?? "off", advertised.ToString(), o.MediaPortFirst, o.MediaPortLast,
            string.Join(", ", o.EffectiveAllowedSources), o.Users.Length == 0 ? "off" : $"{o.Users.Length} user(s), realm {o.Realm}", o.MaxCalls);
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Before the sessions are shut down (this runs ahead of the caption core's own stopping): hang up every call
    /// (BYE), so each call's media flushes its last audio into its session and the session ends with its last words.
    /// </summary>
    public Task StoppingAsync(CancellationToken cancellationToken) => HangUpAllAsync();

    /// <summary>Hangs every call up once and waits (bounded) until their sessions ended and viewers were told.</summary>
    private Task HangUpAllAsync()
    {
        lock (hangUpGate)
        {
            return hangingUp ??= sip is null ? Task.CompletedTask : Task.Run(HangUpAllCoreAsync);
        }
    }

    private async Task HangUpAllCoreAsync()
    {
        var calls = directory.Snapshot();
        if (calls.Count == 0)
        {
            return;
        }

        LogHangingUp(logger, calls.Count);
        foreach (var call in calls)
        {
            sip!.EndCall(call.CallId);
        }

        var started = time.GetTimestamp();
        var budget = ShutdownBudget();
        while (directory.Count > 0 && time.GetElapsedTime(started) < budget)
        {
            await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);
        }

        Task[] pending;
        lock (closing)
        {
            pending = [.. closing];
        }

        await Task.WhenAll(pending).WaitAsync(budget, time, CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);

        // The last messages are in the viewers' SignalR pipes; SignalR closes its connections right after this
        // without flushing them, so leave its transports a moment to write them out.
        await Task.Delay(FlushGrace, time, CancellationToken.None).ConfigureAwait(false);
    }

    private TimeSpan ShutdownBudget() => TimeSpan.FromSeconds(Math.Min(5, options.Value.Timeouts.ShutdownSeconds));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (stop.IsCancellationRequested)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        if (media is not null)
        {
            await media.DisposeAsync().ConfigureAwait(false);
        }

        if (sip is not null)
        {
            await sip.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var task in new[] { loop, keepAlive })
        {
            if (task is not null)
            {
                await task.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }

        stop.Dispose();
    }

    /// <summary>On the media host's loop, before the call's port is bound: a caption session for it, or a refusal.</summary>
    private CallRefusal? Admit(CallOffered offered, int historyCapacity)
    {
        var session = registry.TryCreate(SessionKeyId, options.Value.Sip.MaxCalls, out var refusal);
        if (session is null)
        {
            metrics.Refused.Add(refusal.ToString());
            LogRefused(logger, offered.CallId, offered.Source.ToString(), refusal.ToString());
            return new CallRefusal(503, Explain(refusal));
        }

        var identity = CallIdentity.FromHeaders(offered.CallId, offered.From, offered.To);
        session.Call = new ArchivedCall(identity.CallId, identity.From, identity.To);
        var sink = new CallCaptionSink(hub, identity, historyCapacity, queueCapacity: 1024);
        var call = new ActiveCall(identity, session, sink, time.GetUtcNow(), offered.Source);
        if (!directory.TryAdd(call))
        {
            // The SIP core refuses a second INVITE with the same Call-ID (482), so this is not expected.
            _ = session.CloseAsync(SessionEndReason.TransportClosed);
            sink.Complete(new CallEndedNotice(identity.CallId, identity.From, identity.To, "duplicate", time.GetUtcNow()));
            return new CallRefusal(482, "a call with this Call-ID is in progress");
        }

        _ = session.AttachAsync(sink).AsTask();
        metrics.Total.Add();
        LogTaken(logger, offered.CallId, identity.From, identity.To, offered.Source.ToString(), session.Id);

        // A session that ends on its own (recognition failed, registry shutdown) takes its call down with it.
        _ = session.Completion.ContinueWith(t => OnSessionEnded(call, t), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return null;
    }

    private void OnSessionEnded(ActiveCall call, Task<SessionEndReason> completion)
    {
        if (directory.Find(call.CallId) == call && call.State != CallStates.Ending)
        {
            LogSessionEnded(logger, call.CallId, completion.IsCompletedSuccessfully ? completion.Result.ToString() : "Failed");
            sip?.EndCall(call.CallId);
        }
    }

    /// <summary>Reads every call event (one reader: the media host's Events).</summary>
    private async Task RunAsync(CallMediaHost host, CancellationToken cancel)
    {
        try
        {
            await foreach (var callEvent in host.Events.ReadAllAsync(cancel).ConfigureAwait(false))
            {
                if (directory.Find(callEvent.CallId) is not { } call)
                {
                    continue;
                }

                switch (callEvent)
                {
                    case CallMediaOpened:
                        call.MediaOpened = true;
                        break;
                    case CallStarted started:
                        call.Codec = started.Media.Primary.Encoding;
                        call.State = started.Media.OnHold ? CallStates.OnHold : CallStates.Active;
                        LogStarted(logger, call.CallId, call.Codec, started.Media.RemoteRtp?.ToString() ?? "-");
                        break;
                    case CallUpdated updated when !call.Ended:
                        call.Codec = updated.Media.Primary.Encoding;
                        call.State = updated.Media.OnHold ? CallStates.OnHold : CallStates.Active;
                        break;
                    case CallEnded ended:
                        call.Ended = true;
                        call.State = CallStates.Ending;
                        metrics.Ended.Add(ended.Reason.ToString());
                        LogEnded(logger, call.CallId, ended.Reason.ToString());
                        if (!call.MediaOpened)
                        {
                            Close(call, ended.Reason.ToString());
                        }
                        else
                        {
                            call.EndReason = ended.Reason.ToString();
                        }

                        break;
                    case CallMediaClosed closed:
                        LogMediaClosed(logger, call.CallId, closed.Statistics.RtpDatagrams, closed.Statistics.RtpBeforeStart, closed.Statistics.TelephoneEventPackets);
                        Close(call, call.EndReason ?? "MediaClosed");
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The call is over and its media flushed: end the session (its last words, Metadata, archive), then tell the watchers.</summary>
    private void Close(ActiveCall call, string reason)
    {
        var task = CloseAsync(call, reason);
        lock (closing)
        {
            closing.RemoveAll(t => t.IsCompleted);
            closing.Add(task);
        }
    }

    private async Task CloseAsync(ActiveCall call, string reason)
    {
        try
        {
            await call.Session.CloseAsync(SessionEndReason.TransportClosed).ConfigureAwait(false);
        }
        finally
        {
            directory.Remove(call.CallId);
            call.Sink.Complete(new CallEndedNotice(call.CallId, call.Identity.From, call.Identity.To, reason, time.GetUtcNow()));
        }

        // Handed to SignalR before this completes: at shutdown the connections close only after the viewers got the end.
        await call.Sink.Completion.WaitAsync(TimeSpan.FromSeconds(2), time, CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
    }

    /// <summary>Calls may be silent (hold, a quiet caller) far longer than a browser session's idle timeout; SIP decides when they end.</summary>
    private async Task KeepSessionsAliveAsync(TimeSpan interval, CancellationToken cancel)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancel).ConfigureAwait(false))
            {
                foreach (var call in directory.Snapshot())
                {
                    if (!call.Ended)
                    {
                        call.Session.TryWriteControl(KeepAlive);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Explain(SessionRefusal refusal) => refusal switch
    {
        SessionRefusal.ServerFull => "session_limit: the server holds its maximum of live sessions",
        SessionRefusal.KeyLimit => "session_limit: the maximum of calls is reached",
        SessionRefusal.RateLimited => "overloaded: new sessions are arriving faster than the server admits them",
        SessionRefusal.ShuttingDown => "overloaded: the server is shutting down",
        _ => "overloaded: no caption session could be opened",
    };

    /// <summary>A port free for both UDP and TCP on <paramref name="address"/> (configured port 0).</summary>
    private static int FreePort(IPAddress address, bool tcp)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(address, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            if (!tcp)
            {
                return port;
            }

            try
            {
                using var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                listener.Bind(new IPEndPoint(address, port));
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
            }
        }
    }

    /// <summary>The address peers reach us at when none is configured: the listen address, or this host's first IPv4 one when listening on any.</summary>
    private static IPAddress Advertised(IPAddress listen)
    {
        if (!listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any))
        {
            return listen;
        }

        try
        {
            foreach (var candidate in Dns.GetHostAddresses(Dns.GetHostName()))
            {
                if (candidate.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(candidate))
                {
                    return candidate;
                }
            }
        }
        catch (SocketException)
        {
        }

        return IPAddress.Loopback;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP is disabled (WebRtcAsr:Sip:Enabled is false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP listening on UDP {Udp}, TCP {Tcp}; advertised as {Advertised}; RTP ports {First}-{Last}; calls allowed from {Allowed}; digest {Digest}; at most {MaxCalls} calls")]
    private static partial void LogListening(ILogger logger, string udp, string tcp, string advertised, int first, int last, string allowed, string digest, int maxCalls);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} from {From} to {To} (via {Source}) is session {SessionId}")]
    private static partial void LogTaken(ILogger logger, string callId, string from, string to, string source, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} from {Source} refused: {Refusal}")]
    private static partial void LogRefused(ILogger logger, string callId, string source, string refusal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} started: {Codec} from {Remote}")]
    private static partial void LogStarted(ILogger logger, string callId, string codec, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} ended: {Reason}")]
    private static partial void LogEnded(ILogger logger, string callId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} media closed: {RtpDatagrams} RTP datagrams ({BeforeStart} lost before the call started), {EventPackets} telephone-event packets")]
    private static partial void LogMediaClosed(ILogger logger, string callId, long rtpDatagrams, long beforeStart, long eventPackets);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: its caption session ended ({Reason}); hanging up")]
    private static partial void LogSessionEnded(ILogger logger, string callId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: hanging up {Count} calls")]
    private static partial void LogHangingUp(ILogger logger, int count);
}
