using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WebRtcAsr.Rtc.Common;
using WebRtcAsr.Rtc.PeerConnection;

namespace WebRtcAsr.Rtc.Transport;

/// <summary>
/// The one UDP socket that serves every WebRTC peer: a receive loop routes each datagram through
/// the <see cref="PeerDemux{TPeer}"/> (by source address; an unknown address only by a STUN check
/// naming a known ufrag, and it is learned only once the peer validated it) into the peer's
/// bounded inbox; one worker task per peer drains it, drives the sans-IO
/// <see cref="PeerConnection.PeerConnection"/> with the injected clock, sends what it wants sent,
/// hands its events to the owner's handler, and re-arms one timer at the peer's
/// <see cref="PeerConnection.PeerConnection.NextTimeoutMicros"/>. A finished peer (closed, failed,
/// consent lost) is removed with everything it held: demux entries, timer, worker.
/// </summary>
public sealed class UdpPeerTransport : IAsyncDisposable
{
    private const int ReceiveBufferLength = 4096;

    private readonly UdpPeerTransportOptions _options;
    private readonly IMonotonicClock _clock;
    private readonly ILogger _logger;
    private readonly RateLimitedLog _badInput;
    private readonly Socket _socket;
    private readonly bool _dualMode;
    private readonly PeerDemux<TransportPeer> _demux;
    private readonly Lock _demuxLock = new(); // uncontended: the receive loop looks up, workers and signaling add/learn/remove
    private readonly ConcurrentDictionary<string, TransportPeer> _peers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _receiveLoop;
    private int _pendingHandshakes;
    private int _activeWorkers;
    private int _activeTimers;

    public UdpPeerTransport(UdpPeerTransportOptions options, IMonotonicClock? clock = null, ILogger<UdpPeerTransport>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _clock = clock ?? StopwatchClock.Instance;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _badInput = new RateLimitedLog(_logger, _clock, options.LogBurst, options.LogInterval);
        _demux = new PeerDemux<TransportPeer>(options.MaxPeers, options.MaxAddressesPerPeer);
        _socket = new Socket(options.LocalEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (options.LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6 && options.LocalEndPoint.Address.Equals(IPAddress.IPv6Any))
        {
            _socket.DualMode = true;
            _dualMode = true;
        }

        if (options.SocketBufferBytes > 0)
        {
            _socket.ReceiveBufferSize = options.SocketBufferBytes;
            _socket.SendBufferSize = options.SocketBufferBytes;
        }

        _socket.Bind(options.LocalEndPoint);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    /// <summary>The bound address and port.</summary>
    public IPEndPoint LocalEndPoint { get; }

    public IMonotonicClock Clock => _clock;

    public UdpPeerTransportCounters Counters { get; } = new();

    /// <summary>Peers served now.</summary>
    public int PeerCount => _peers.Count;

    /// <summary>Peers added and not connected yet.</summary>
    public int PendingHandshakes => Volatile.Read(ref _pendingHandshakes);

    /// <summary>Worker tasks running.</summary>
    public int ActiveWorkers => Volatile.Read(ref _activeWorkers);

    /// <summary>Peer timers allocated.</summary>
    public int ActiveTimers => Volatile.Read(ref _activeTimers);

    /// <summary>Peers in the demux table.</summary>
    public int DemuxPeerCount
    {
        get
        {
            lock (_demuxLock)
            {
                return _demux.PeerCount;
            }
        }
    }

    /// <summary>Remote addresses in the demux table.</summary>
    public int DemuxAddressCount
    {
        get
        {
            lock (_demuxLock)
            {
                return _demux.AddressCount;
            }
        }
    }

    /// <summary>Starts the receive loop.</summary>
    public void Start()
    {
        if (_receiveLoop is not null)
        {
            return;
        }

        _receiveLoop = Task.Run(() => ReceiveLoopAsync(_stopping.Token));
    }

    /// <summary>
    /// Serves <paramref name="connection"/> from now on (routing checks that name its ufrag to it).
    /// <paramref name="knownRemotes"/> are routed at once: a client-role peer needs the server's
    /// address before the server can validate anything. False with a reason at a limit.
    /// </summary>
    public bool TryAddPeer(PeerConnection.PeerConnection connection, IPeerEventHandler handler, out TransportPeer? peer, out string? error,
        IEnumerable<IPEndPoint>? knownRemotes = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(handler);
        peer = null;
        if (_stopping.IsCancellationRequested)
        {
            error = "transport is stopping";
            return false;
        }

        if (Interlocked.Increment(ref _pendingHandshakes) > _options.MaxPendingHandshakes)
        {
            Interlocked.Decrement(ref _pendingHandshakes);
            error = $"too many connections in progress (limit {_options.MaxPendingHandshakes})";
            return false;
        }

        var added = new TransportPeer(connection.LocalCredentials.Ufrag, connection, handler, _options.PeerQueueLength);
        lock (_demuxLock)
        {
            if (!_demux.TryAdd(added.Id, added))
            {
                Interlocked.Decrement(ref _pendingHandshakes);
                error = _demux.PeerCount >= _demux.MaxPeers ? $"server full (limit {_demux.MaxPeers} peers)" : "duplicate ICE ufrag";
                return false;
            }

            foreach (var remote in knownRemotes ?? [])
            {
                _demux.TryLearn(remote, added);
            }
        }

        _peers[added.Id] = added;
        added.Timer = TimeProvider.System.CreateTimer(static state => ((TransportPeer)state!).Inbox.Writer.TryWrite(default), added,
            Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Interlocked.Increment(ref _activeTimers);
        Interlocked.Increment(ref _activeWorkers);
        _ = Task.Run(() => RunPeerAsync(added));
        peer = added;
        error = null;
        return true;
    }

    /// <summary>Finds a served peer by id.</summary>
    public bool TryGetPeer(string id, out TransportPeer? peer) => _peers.TryGetValue(id, out peer);

    /// <summary>Stops the receive loop and every peer (closing each gracefully first is the owner's choice).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        foreach (var peer in _peers.Values)
        {
            peer.Inbox.Writer.TryComplete();
        }

        await Task.WhenAll(_peers.Values.Select(p => p.Completion)).ConfigureAwait(false);
        if (_receiveLoop is not null)
        {
            await _receiveLoop.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellation)
    {
        var address = new SocketAddress(_socket.AddressFamily);
        byte[] buffer = GC.AllocateUninitializedArray<byte>(ReceiveBufferLength, pinned: true);
        while (!cancellation.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, address, cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException e)
            {
                // ICMP port unreachable from a vanished peer surfaces as ConnectionReset on some systems; keep serving.
                _badInput.Drop(TransportDropReason.UnknownSource, $"socket error {e.SocketErrorCode}");
                continue;
            }

            Dispatch(buffer.AsSpan(0, length), address);
        }
    }

    private void Dispatch(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        Counters.CountIn(datagram.Length);
        if (datagram.Length > PeerConnection.PeerConnection.MaxDatagramLength)
        {
            Counters.CountDrop(TransportDropReason.TooLarge);
            _badInput.Drop(TransportDropReason.TooLarge, $"{datagram.Length} bytes");
            return;
        }

        TransportPeer? peer;
        bool found;
        lock (_demuxLock)
        {
            found = _demux.TryFind(datagram, from, out peer, out _);
        }

        if (!found)
        {
            Counters.CountDrop(TransportDropReason.UnknownSource);
            _badInput.Drop(TransportDropReason.UnknownSource, $"{datagram.Length} bytes, first byte {datagram[0]}");
            return;
        }

        byte[] copy = ArrayPool<byte>.Shared.Rent(datagram.Length);
        datagram.CopyTo(copy);
        if (!peer!.Inbox.Writer.TryWrite(new PeerWorkItem(copy, datagram.Length, peer.SourceOf(from), null)))
        {
            ArrayPool<byte>.Shared.Return(copy);
            Counters.CountDrop(TransportDropReason.PeerQueueFull);
            _badInput.Drop(TransportDropReason.PeerQueueFull, $"peer {peer.Id}");
        }
    }

    private async Task RunPeerAsync(TransportPeer peer)
    {
        var connection = peer.Connection;
        var reader = peer.Inbox.Reader;
        byte[] sendBuffer = new byte[PeerConnection.PeerConnection.MaxDatagramLength];
        try
        {
            Flush(peer, sendBuffer);
            Arm(peer);
            while (!connection.IsFinished && await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (!connection.IsFinished && reader.TryRead(out var item))
                {
                    long now = _clock.NowMicros;
                    if (item.Buffer is not null)
                    {
                        connection.HandleReceive(item.Buffer.AsSpan(0, item.Length), item.From!, now);
                        ArrayPool<byte>.Shared.Return(item.Buffer);
                    }
                    else if (item.Command is not null)
                    {
                        item.Command(connection, now);
                    }
                    else
                    {
                        peer.ArmedAtMicros = long.MinValue; // the timer fired: it must be armed again
                    }

                    if (connection.NextTimeoutMicros is { } due && due <= now)
                    {
                        connection.HandleTimeout(now);
                    }

                    Flush(peer, sendBuffer);
                }

                Arm(peer);
            }
        }
#pragma warning disable CA1031 // a fault in one peer (its handler included) must end that peer only
        catch (Exception e)
#pragma warning restore CA1031
        {
#pragma warning disable CA1848 // once per failed peer
            _logger.LogWarning(e, "Peer {Peer} stopped by an error", peer.Id);
#pragma warning restore CA1848
        }
        finally
        {
            Remove(peer, sendBuffer);
        }
    }

    /// <summary>
    /// Hands the peer's events on (learning validated addresses), then sends what it queued. Events
    /// first: an address must be routable before the STUN response that validated it leaves, or the
    /// DTLS ClientHello that answers it could arrive unroutable; and what the handler sends in
    /// reply leaves in the same pass.
    /// </summary>
    private void Flush(TransportPeer peer, byte[] sendBuffer)
    {
        var connection = peer.Connection;
        while (connection.TryPollEvent(out var peerEvent))
        {
            switch (peerEvent.Kind)
            {
                case PeerConnectionEventKind.RemoteAddressValidated:
                    lock (_demuxLock)
                    {
                        _demux.TryLearn(peerEvent.Remote!, peer);
                    }

                    break;
                case PeerConnectionEventKind.StateChanged when peerEvent.State != PeerConnectionState.New && peerEvent.State != PeerConnectionState.Connecting:
                    LeavePending(peer);
                    break;
            }

            peer.Handler.OnEvent(peer, peerEvent);
        }

        while (connection.TryPollTransmit(sendBuffer, out int length, out var to))
        {
            try
            {
                _socket.SendTo(sendBuffer.AsSpan(0, length), SocketFlags.None, peer.DestinationOf(to!, _dualMode));
                Counters.CountOut(length);
            }
            catch (SocketException e)
            {
                Counters.CountDrop(TransportDropReason.SendFailed);
                _badInput.Drop(TransportDropReason.SendFailed, $"to {to}: {e.SocketErrorCode}");
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    /// <summary>Arms the peer's one timer for its next deadline (re-arming only when the deadline moved).</summary>
    private void Arm(TransportPeer peer)
    {
        long? due = peer.Connection.NextTimeoutMicros;
        long target = due ?? long.MaxValue;
        if (target == peer.ArmedAtMicros)
        {
            return;
        }

        peer.ArmedAtMicros = target;
        if (due is null)
        {
            peer.Timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        long delay = Math.Max(0, target - _clock.NowMicros);
        peer.Timer?.Change(TimeSpan.FromTicks(Math.Min(delay, 3_600_000_000L) * TimeSpan.TicksPerMicrosecond), Timeout.InfiniteTimeSpan);
    }

    private void LeavePending(TransportPeer peer)
    {
        if (peer.Pending)
        {
            peer.Pending = false;
            Interlocked.Decrement(ref _pendingHandshakes);
        }
    }

    private void Remove(TransportPeer peer, byte[] sendBuffer)
    {
        try
        {
            Flush(peer, sendBuffer); // the last words: close_notify, SCTP ABORT
        }
#pragma warning disable CA1031 // removal must complete whatever the handler does
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        lock (_demuxLock)
        {
            _demux.Remove(peer);
        }

        _peers.TryRemove(peer.Id, out _);
        peer.Inbox.Writer.TryComplete();
        if (peer.Timer is not null)
        {
            peer.Timer.Dispose();
            peer.Timer = null;
            Interlocked.Decrement(ref _activeTimers);
        }

        while (peer.Inbox.Reader.TryRead(out var item))
        {
            if (item.Buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(item.Buffer);
            }
        }

        LeavePending(peer);
        peer.Connection.Dispose();
        Interlocked.Decrement(ref _activeWorkers);
        try
        {
            peer.Handler.OnRemoved(peer);
        }
        finally
        {
            peer.CompletionSource.TrySetResult();
        }
    }
}
