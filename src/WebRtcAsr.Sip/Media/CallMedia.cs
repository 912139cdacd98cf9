using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WebRtcAsr.Media.Pipeline;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Sdp;

namespace WebRtcAsr.Sip.Media;

/// <summary>
/// Runs one call's <see cref="CallMediaSession"/> on real sockets: binds UDP on the call's reserved RTP port and
/// RTCP on port + 1, and drives the session from one owner task that drains a bounded channel (datagrams from the
/// two thin receive loops, start/update/close commands and timer ticks). RTCP reports leave from the RTCP socket
/// (symmetric RTCP); events (<see cref="CallDtmf"/>, <see cref="CallMediaStopped"/>, <see cref="CallMediaClosed"/>)
/// go to <c>onEvent</c> on the owner task, as does the audio to the consumer.
/// </summary>
public sealed class CallMedia : IAsyncDisposable
{
    private readonly CallMediaOptions _options;
    private readonly Func<long> _nowMicros;
    private readonly Action<SipCallEvent> _onEvent;
    private readonly ILogger _logger;
    private readonly Channel<Input> _inbound;
    private readonly CancellationTokenSource _stop = new();
    private readonly Timer _timer;
    private Socket? _rtp;
    private Socket? _rtcp;
    private Task? _owner;
    private Task? _rtpLoop;
    private Task? _rtcpLoop;
    private CallMediaSession? _session;
    private long? _scheduledFor;
    private long _inboundDropped;
    private long _lastNowMicros;
    private int _disposed;

    /// <param name="callId">The SIP Call-ID.</param>
    /// <param name="localRtp">Where to bind RTP (the reserved port; RTCP binds port + 1).</param>
    /// <param name="options">Timeouts and the audio path's settings.</param>
    /// <param name="nowMicros">The monotonic clock in microseconds.</param>
    /// <param name="onEvent">Receives the call's media events, on its owner task.</param>
    /// <param name="logger">Optional logger.</param>
    public CallMedia(string callId, IPEndPoint localRtp, CallMediaOptions options, Func<long> nowMicros, Action<SipCallEvent> onEvent, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(localRtp);
        ArgumentNullException.ThrowIfNull(options);
        CallId = callId;
        LocalRtp = localRtp;
        _options = options;
        _nowMicros = nowMicros;
        _onEvent = onEvent;
        _logger = logger ?? NullLogger.Instance;
        _inbound = Channel.CreateBounded<Input>(new BoundedChannelOptions(options.InboundQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _timer = new Timer(static state => ((CallMedia)state!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);
    }

    public string CallId { get; }

    public IPEndPoint LocalRtp { get; }

    /// <summary>The session, once started (read its counters on the owner task or after close).</summary>
    public CallMediaSession? Session => _session;

    /// <summary>Datagrams dropped because the owner task fell behind.</summary>
    public long InboundDropped => Interlocked.Read(ref _inboundDropped);

    /// <summary>Binds RTP and RTCP and starts the loops; throws <see cref="SocketException"/> when a port is taken.</summary>
    public void Open()
    {
        _rtp = Bind(LocalRtp);
        try
        {
            _rtcp = Bind(new IPEndPoint(LocalRtp.Address, LocalRtp.Port + 1));
        }
        catch
        {
            _rtp.Dispose();
            throw;
        }

        _owner = Task.Run(RunAsync);
        _rtpLoop = Task.Run(() => ReceiveLoopAsync(_rtp, InputKind.Rtp, _stop.Token));
        _rtcpLoop = Task.Run(() => ReceiveLoopAsync(_rtcp, InputKind.Rtcp, _stop.Token));
    }

    /// <summary>The call started (CallStarted): audio goes to <paramref name="consumer"/> from now on.</summary>
    public void Start(SipMediaSession media, IAudioFrameConsumer consumer) => PostCommand(new Input(InputKind.Start, Media: media, Consumer: consumer));

    /// <summary>A re-INVITE changed the media (CallUpdated).</summary>
    public void Update(SipMediaSession media) => PostCommand(new Input(InputKind.Update, Media: media));

    /// <summary>Ends the call's media: flushes held audio, reports <see cref="CallMediaClosed"/>, releases the ports.</summary>
    public async Task CloseAsync()
    {
        // Close must not be lost to a full queue: wait for room (the owner is draining).
        try
        {
            await _inbound.Writer.WriteAsync(new Input(InputKind.Close)).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _inbound.Writer.TryComplete();
        if (_owner is not null)
        {
            await _owner.ConfigureAwait(false);
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _rtp?.Dispose();
        _rtcp?.Dispose();
        foreach (var loop in new[] { _rtpLoop, _rtcpLoop })
        {
            if (loop is not null)
            {
                await loop.ConfigureAwait(false);
            }
        }

        await _timer.DisposeAsync().ConfigureAwait(false);
        _session?.Dispose();
        while (_inbound.Reader.TryRead(out var left))
        {
            Return(left);
        }

        _stop.Dispose();
    }

    private static Socket Bind(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(endpoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void Return(in Input input)
    {
        if (input.Buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(input.Buffer);
        }
    }

    private bool Post(in Input input)
    {
        if (_inbound.Writer.TryWrite(input))
        {
            return true;
        }

        Return(input);
        Interlocked.Increment(ref _inboundDropped);
        return false;
    }

    /// <summary>
    /// Commands must not be lost to a queue full of datagrams (a lost Start would leave the call without media
    /// checks): when there is no room they wait for it, in order, behind the datagrams already queued.
    /// </summary>
    private void PostCommand(Input input)
    {
        if (!_inbound.Writer.TryWrite(input))
        {
            _ = _inbound.Writer.WriteAsync(input).AsTask().ContinueWith(
                static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    private void OnTimer()
    {
        if (_stop.IsCancellationRequested || _inbound.Reader.Completion.IsCompleted)
        {
            return;
        }

        if (!_inbound.Writer.TryWrite(new Input(InputKind.Tick)))
        {
            // The queue is full (the owner is busy and will look at its timers after the queued work) or closing.
            try
            {
                _ = _timer.Change(10, Timeout.Infinite);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task ReceiveLoopAsync(Socket socket, InputKind kind, CancellationToken cancel)
    {
        // One SocketAddress reused for every receive; the IPEndPoint is only rebuilt when the source changes,
        // so a steady stream allocates nothing here but the pooled buffers.
        var address = new SocketAddress(socket.AddressFamily);
        var lastAddress = new SocketAddress(socket.AddressFamily);
        IPEndPoint? lastFrom = null;
        var template = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!cancel.IsCancellationRequested)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(_options.MaxDatagramBytes);
            int length;
            try
            {
                length = await socket.ReceiveFromAsync(buffer.AsMemory(0, _options.MaxDatagramBytes), SocketFlags.None, address, cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return;
            }
            catch (SocketException e)
            {
                // ICMP port unreachable for our RTCP (ConnectionReset on some stacks), message too big: per datagram.
                ArrayPool<byte>.Shared.Return(buffer);
                _logger.LogDebug(e, "call {CallId}: receive failed", CallId);
                continue;
            }

            if (lastFrom is null || !address.Equals(lastAddress))
            {
                lastFrom = (IPEndPoint)template.Create(address);
                address.Buffer.Span[..address.Size].CopyTo(lastAddress.Buffer.Span);
                lastAddress.Size = address.Size;
            }

            Post(new Input(kind, buffer, length, lastFrom, ReceivedMicros: _nowMicros()));
        }
    }

    private async Task RunAsync()
    {
        var reader = _inbound.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var input))
                {
                    if (!Handle(input))
                    {
                        return;
                    }
                }

                Flush();
                Schedule();
            }
        }
#pragma warning disable CA1031 // A fault in one call's media must end that call, not the process.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.LogError(e, "call {CallId}: media owner failed; reporting media stopped", CallId);
            _onEvent(new CallMediaStopped(CallId, TimeSpan.Zero));
        }
        finally
        {
            // Nobody reads any more: writers (Close included) must fail rather than wait for room.
            _inbound.Writer.TryComplete();
        }
    }

    private bool Handle(in Input input)
    {
        long now = Monotonic(_nowMicros());
        try
        {
            switch (input.Kind)
            {
                case InputKind.Rtp:
                    // Before Start the session holds a few packets itself (RTP can beat the ACK).
                    EnsureSession().HandleRtp(input.Buffer.AsSpan(0, input.Length), input.From!, Monotonic(input.ReceivedMicros));
                    break;
                case InputKind.Rtcp:
                    _session?.HandleRtcp(input.Buffer.AsSpan(0, input.Length), input.From!, Monotonic(input.ReceivedMicros));
                    break;
                case InputKind.Start:
                    EnsureSession().Start(input.Media!, now, input.Consumer!);
                    break;
                case InputKind.Update:
                    _session?.Update(input.Media!, now);
                    break;
                case InputKind.Tick:
                    _scheduledFor = null;
                    _session?.HandleTimeout(now);
                    break;
                case InputKind.Close:
                    _session?.Close();
                    Flush();
                    var statistics = EnsureSession().Statistics;
                    statistics.InboundDropped = InboundDropped;
                    _onEvent(new CallMediaClosed(CallId, statistics));
                    return false;
            }
        }
        finally
        {
            Return(input);
        }

        return true;
    }

    /// <summary>The session exists from the first datagram or command: it holds early RTP until it is started.</summary>
    private CallMediaSession EnsureSession() => _session ??= new CallMediaSession(CallId, _options);

    /// <summary>
    /// Datagrams carry their receive time (for jitter), but a timer tick may have been handled with a later time
    /// while they queued: the session sees time that never goes back.
    /// </summary>
    private long Monotonic(long micros)
    {
        _lastNowMicros = Math.Max(_lastNowMicros, micros);
        return _lastNowMicros;
    }

    private void Flush()
    {
        if (_session is null)
        {
            return;
        }

        while (_session.TryPollTransmit(out var datagram, out var destination))
        {
            if (destination is null || _rtcp is null)
            {
                continue;
            }

            try
            {
                _rtcp.SendTo(datagram.Span, SocketFlags.None, destination);
            }
            catch (SocketException e)
            {
                _logger.LogDebug(e, "call {CallId}: RTCP send to {Destination} failed", CallId, destination);
            }
        }

        while (_session.TryPollEvent(out var callEvent))
        {
            _onEvent(callEvent!);
        }
    }

    private void Schedule()
    {
        long? next = _session?.NextTimeoutMicros;
        if (next == _scheduledFor)
        {
            return;
        }

        _scheduledFor = next;
        if (next is long due)
        {
            long delayMs = Math.Clamp((due - _nowMicros() + 999) / 1000, 0, int.MaxValue);
            _ = _timer.Change(delayMs, Timeout.Infinite);
        }
        else
        {
            _ = _timer.Change(Timeout.Infinite, Timeout.Infinite);
        }
    }

    private enum InputKind
    {
        Rtp,
        Rtcp,
        Start,
        Update,
        Tick,
        Close,
    }

    /// <summary>One item for the owner task; datagram buffers are rented and returned by the owner.</summary>
    private readonly record struct Input(InputKind Kind, byte[]? Buffer = null, int Length = 0, IPEndPoint? From = null,
        SipMediaSession? Media = null, IAudioFrameConsumer? Consumer = null, long ReceivedMicros = 0);
}
