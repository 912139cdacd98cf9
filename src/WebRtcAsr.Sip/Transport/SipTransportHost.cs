using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Messages;
using WebRtcAsr.Sip.Transactions;

namespace WebRtcAsr.Sip.Transport;

/// <summary>
/// Runs a <see cref="SipServer"/> on real sockets: the UDP and TCP drivers push what they receive into one
/// bounded channel, and a single loop owns the core — it feeds messages and commands in with the current
/// monotonic time, fires timers at <see cref="SipServer.NextTimeout"/>, and hands what the core polls to the
/// drivers and to <see cref="Events"/>.
/// </summary>
public sealed class SipTransportHost : IAsyncDisposable
{
    private readonly SipServer _server;
    private readonly SipTransportOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<Inbound> _inbound;
    private readonly Channel<SipCallEvent> _events;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private UdpSipTransport? _udp;
    private TcpSipTransport? _tcp;
    private Task? _loop;

    public SipTransportHost(SipServer server, SipTransportOptions options, ILogger? logger = null)
    {
        _server = server;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _inbound = Channel.CreateBounded<Inbound>(new BoundedChannelOptions(options.InboundQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _events = Channel.CreateBounded<SipCallEvent>(new BoundedChannelOptions(options.EventQueueCapacity) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>Call events for the host (CallOffered, CallStarted, CallUpdated, CallEnded).</summary>
    public ChannelReader<SipCallEvent> Events => _events.Reader;

    /// <summary>The bound UDP endpoint (with the real port when 0 was asked for).</summary>
    public System.Net.IPEndPoint? UdpEndpoint => _udp?.LocalEndpoint;

    public System.Net.IPEndPoint? TcpEndpoint => _tcp?.LocalEndpoint;

    /// <summary>Inbound messages dropped because the core loop fell behind.</summary>
    public long InboundDropped => Interlocked.Read(ref _inboundDropped);

    public long EventsDropped { get; private set; }

    private long _inboundDropped;

    /// <summary>Binds the sockets and starts the receive loops and the core loop.</summary>
    public void Start()
    {
        if (_options.Udp is { } udp)
        {
            _udp = new UdpSipTransport(udp, _server.Limits.MaxMessageBytes, Enqueue, _logger);
            _udp.Start(_stop.Token);
        }

        if (_options.Tcp is { } tcp)
        {
            _tcp = new TcpSipTransport(tcp, _options, _server.Limits, Enqueue, _logger);
            _tcp.Start(_stop.Token);
        }

        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Asks the core to end a call (BYE); runs on the core loop.</summary>
    public bool EndCall(string callId) => Enqueue(new Inbound(Command: (server, now) => server.EndCall(callId, now)));

    /// <summary>Tells the core that a call's RTP port is bound (its 200 OK may go out); runs on the core loop.</summary>
    public bool ReportMediaReady(string callId) => Enqueue(new Inbound(Command: (server, now) => server.ReportMediaReady(callId, now)));

    /// <summary>Refuses a call with a final status and a reason (BYE once answered); runs on the core loop.</summary>
    public bool RejectCall(string callId, int status, string reason) => Enqueue(new Inbound(Command: (server, now) => server.RejectCall(callId, status, reason, now)));

    /// <summary>Tells the core that a call's media stopped (BYE with a reason); runs on the core loop.</summary>
    public bool ReportMediaStopped(string callId) => Enqueue(new Inbound(Command: (server, now) => server.ReportMediaStopped(callId, now)));

    /// <summary>Reads the core's counters on its own loop.</summary>
    public async Task<T> InspectAsync<T>(Func<SipServer, T> read)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Enqueue(new Inbound(Command: (server, _) => done.TrySetResult(read(server)))))
        {
            throw new InvalidOperationException("the SIP core loop is not accepting commands");
        }

        return await done.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _inbound.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        if (_udp is not null)
        {
            await _udp.DisposeAsync().ConfigureAwait(false);
        }

        if (_tcp is not null)
        {
            await _tcp.DisposeAsync().ConfigureAwait(false);
        }

        _events.Writer.TryComplete();
        _stop.Dispose();
    }

    private bool Enqueue(Inbound item)
    {
        if (_inbound.Writer.TryWrite(item))
        {
            return true;
        }

        Interlocked.Increment(ref _inboundDropped);
        return false;
    }

    private async Task RunAsync(CancellationToken cancel)
    {
        var reader = _inbound.Reader;
        while (!cancel.IsCancellationRequested)
        {
            var wait = _server.NextTimeout is { } due ? due - _clock.Elapsed : Timeout.InfiniteTimeSpan;
            if (wait == Timeout.InfiniteTimeSpan || wait > TimeSpan.Zero)
            {
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                if (wait != Timeout.InfiniteTimeSpan)
                {
                    timer.CancelAfter(wait);
                }

                try
                {
                    if (!await reader.WaitToReadAsync(timer.Token).ConfigureAwait(false))
                    {
                        return;
                    }
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    // A timer is due.
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            try
            {
                while (reader.TryRead(out var item))
                {
                    var now = _clock.Elapsed;
                    if (item.Command is { } command)
                    {
                        command(_server, now);
                    }
                    else if (item.Datagram is { } datagram)
                    {
                        _server.HandleDatagram(datagram, item.Flow, now);
                    }
                    else
                    {
                        _server.HandleParsed(item.Parsed, item.Flow, now);
                    }

                    Flush();
                }

                _server.HandleTimeout(_clock.Elapsed);
                Flush();
            }
#pragma warning disable CA1031 // One bad message must not stop every call: log it and keep serving.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _logger.LogError(e, "SIP core loop failed on a message; continuing");
            }
        }
    }

    private void Flush()
    {
        while (_server.TryPollTransmit(out var transmit))
        {
            if (transmit.Flow.Transport == SipTransportKind.Udp)
            {
                _udp?.Send(transmit.Data, transmit.Flow.Remote);
            }
            else
            {
                _tcp?.Send(transmit.Flow.ConnectionId, transmit.Data);
            }
        }

        while (_server.TryPollEvent(out var callEvent))
        {
            if (!_events.Writer.TryWrite(callEvent))
            {
                EventsDropped++;
                _logger.LogWarning("SIP event channel full; dropped {Event}", callEvent);
            }
        }
    }

    /// <summary>One item for the core loop: a datagram, a framed message, or a command.</summary>
    internal readonly record struct Inbound(SipFlow Flow = default, byte[]? Datagram = null, SipParseResult Parsed = default, Action<SipServer, TimeSpan>? Command = null);
}
