using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using WebRtcAsr.Sip.Transactions;

namespace WebRtcAsr.Sip.Transport;

/// <summary>The UDP driver: one socket, one receive loop that queues each datagram for the core, and sends.</summary>
internal sealed class UdpSipTransport : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly int _maxDatagram;
    private readonly Func<SipTransportHost.Inbound, bool> _enqueue;
    private readonly ILogger _logger;
    private Task? _receive;

    public UdpSipTransport(IPEndPoint endpoint, int maxDatagram, Func<SipTransportHost.Inbound, bool> enqueue, ILogger logger)
    {
        _socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(endpoint);
        _maxDatagram = maxDatagram;
        _enqueue = enqueue;
        _logger = logger;
        LocalEndpoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndpoint { get; }

    public void Start(CancellationToken cancel) => _receive = Task.Run(() => ReceiveAsync(cancel), CancellationToken.None);

    public void Send(byte[] data, IPEndPoint to)
    {
        try
        {
            _socket.SendTo(data, SocketFlags.None, to);
        }
        catch (SocketException e)
        {
            _logger.LogDebug("UDP send to {Remote} failed: {Error}", to, e.SocketErrorCode);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        if (_receive is not null)
        {
            await _receive.ConfigureAwait(false);
        }
    }

    private async Task ReceiveAsync(CancellationToken cancel)
    {
        // One byte more than the limit, so oversized datagrams are seen as such rather than silently cut.
        var buffer = new byte[_maxDatagram + 1];
        EndPoint any = new IPEndPoint(LocalEndpoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!cancel.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                continue; // ICMP port unreachable from an earlier send, or an oversized datagram.
            }
            catch (SocketException e)
            {
                _logger.LogWarning("UDP receive failed: {Error}", e.SocketErrorCode);
                return;
            }

            var flow = new SipFlow(SipTransportKind.Udp, (IPEndPoint)received.RemoteEndPoint);
            _enqueue(new SipTransportHost.Inbound(flow, buffer.AsSpan(0, received.ReceivedBytes).ToArray()));
        }
    }
}
