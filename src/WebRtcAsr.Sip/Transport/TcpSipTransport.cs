using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using WebRtcAsr.Sip.Messages;
using WebRtcAsr.Sip.Transactions;

namespace WebRtcAsr.Sip.Transport;

/// <summary>
/// The TCP driver: accepts up to a limit of connections; each has a receive loop that frames messages with a
/// <see cref="SipStreamReassembler"/> and queues them for the core, and a bounded send queue with its own writer.
/// A framing error or an idle timeout closes the connection.
/// </summary>
internal sealed class TcpSipTransport : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly SipTransportOptions _options;
    private readonly SipLimits _limits;
    private readonly Func<SipTransportHost.Inbound, bool> _enqueue;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, Connection> _connections = new();
    private long _nextId;
    private Task? _accept;

    public TcpSipTransport(IPEndPoint endpoint, SipTransportOptions options, SipLimits limits, Func<SipTransportHost.Inbound, bool> enqueue, ILogger logger)
    {
        _listener = new TcpListener(endpoint);
        _listener.Start();
        _options = options;
        _limits = limits;
        _enqueue = enqueue;
        _logger = logger;
        LocalEndpoint = (IPEndPoint)_listener.LocalEndpoint;
    }

    public IPEndPoint LocalEndpoint { get; }

    public int ConnectionCount => _connections.Count;

    public void Start(CancellationToken cancel) => _accept = Task.Run(() => AcceptAsync(cancel), CancellationToken.None);

    public void Send(long connectionId, byte[] data)
    {
        if (!_connections.TryGetValue(connectionId, out var connection) || !connection.Outgoing.Writer.TryWrite(data))
        {
            _logger.LogDebug("TCP connection {Id} is gone or its send queue is full; dropped {Bytes} bytes", connectionId, data.Length);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        foreach (var connection in _connections.Values)
        {
            connection.Close();
        }

        if (_accept is not null)
        {
            await _accept.ConfigureAwait(false);
        }
    }

    private async Task AcceptAsync(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (_connections.Count >= _options.MaxTcpConnections)
            {
                _logger.LogWarning("TCP connection limit {Limit} reached; closing {Remote}", _options.MaxTcpConnections, socket.RemoteEndPoint);
                socket.Dispose();
                continue;
            }

            var connection = new Connection(Interlocked.Increment(ref _nextId), socket, _options.TcpSendQueueCapacity);
            _connections[connection.Id] = connection;
            _ = Task.Run(() => ServeAsync(connection, cancel), CancellationToken.None);
        }
    }

    private async Task ServeAsync(Connection connection, CancellationToken cancel)
    {
        var writer = Task.Run(() => WriteAsync(connection), CancellationToken.None);
        var framer = new SipStreamReassembler(_limits);
        var buffer = new byte[16 * 1024];
        var flow = new SipFlow(SipTransportKind.Tcp, (IPEndPoint)connection.Socket.RemoteEndPoint!, connection.Id);
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                idle.CancelAfter(_options.TcpIdleTimeout);
                var read = await connection.Socket.ReceiveAsync(buffer, SocketFlags.None, idle.Token).ConfigureAwait(false);
                if (read == 0 || !framer.Append(buffer.AsSpan(0, read)))
                {
                    break;
                }

                while (framer.TryRead(out var result))
                {
                    _enqueue(new SipTransportHost.Inbound(flow, Parsed: result));
                }

                if (framer.IsBroken)
                {
                    _logger.LogInformation("Closing TCP connection {Remote}: unframeable data", flow.Remote);
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Closed, idle or shut down.
        }
        finally
        {
            _connections.TryRemove(connection.Id, out _);
            connection.Close();
            await writer.ConfigureAwait(false);
        }
    }

    private static async Task WriteAsync(Connection connection)
    {
        try
        {
            await foreach (var data in connection.Outgoing.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                await connection.Socket.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            connection.Close();
        }
    }

    private sealed class Connection(long id, Socket socket, int sendQueue)
    {
        public long Id { get; } = id;

        public Socket Socket { get; } = socket;

        public Channel<byte[]> Outgoing { get; } = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(sendQueue) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

        public void Close()
        {
            Outgoing.Writer.TryComplete();
            Socket.Dispose();
        }
    }
}
