using System.Net;
using System.Threading.Channels;

namespace WebRtcAsr.Rtc.Transport;

/// <summary>
/// A <see cref="PeerConnection.PeerConnection"/> served by a <see cref="UdpPeerTransport"/>: its
/// bounded inbox (datagrams, commands, timer ticks) drained by one worker task, which alone touches
/// the peer. Other threads act on the peer only through <see cref="TryPost"/>.
/// </summary>
public sealed class TransportPeer
{
    private byte[]? _lastSourceBytes;
    private IPEndPoint? _lastSource;
    private IPEndPoint? _lastDestination;
    private System.Net.SocketAddress? _lastDestinationAddress;

    internal TransportPeer(string id, PeerConnection.PeerConnection connection, IPeerEventHandler handler, int queueLength)
    {
        Id = id;
        Connection = connection;
        Handler = handler;
        Inbox = Channel.CreateBounded<PeerWorkItem>(new BoundedChannelOptions(queueLength)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: the caller counts the drop
        });
    }

    /// <summary>The peer's id (its local ICE ufrag, unique per transport).</summary>
    public string Id { get; }

    /// <summary>Completes when the worker has stopped and the peer is removed.</summary>
    public Task Completion => CompletionSource.Task;

    /// <summary>
    /// Runs <paramref name="command"/> on the peer's worker with the current time (send a message,
    /// open a channel, close). False when the inbox is full or the peer is gone.
    /// </summary>
    public bool TryPost(Action<PeerConnection.PeerConnection, long> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Inbox.Writer.TryWrite(new PeerWorkItem(null, 0, null, command));
    }

    /// <summary>The peer itself: touch it only from its worker (inside a command or an event handler).</summary>
    public PeerConnection.PeerConnection Connection { get; }

    internal IPeerEventHandler Handler { get; }

    internal Channel<PeerWorkItem> Inbox { get; }

    internal TaskCompletionSource CompletionSource { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal ITimer? Timer { get; set; }

    internal long ArmedAtMicros { get; set; } = long.MaxValue;

    internal bool Pending { get; set; } = true;

    /// <summary>
    /// The source as an <see cref="IPEndPoint"/>, reusing the last one when the socket address is the
    /// same (the steady state): no allocation per datagram. Receive loop only.
    /// </summary>
    internal IPEndPoint SourceOf(System.Net.SocketAddress address)
    {
        var bytes = address.Buffer.Span[..address.Size];
        if (_lastSource is not null && bytes.SequenceEqual(_lastSourceBytes))
        {
            return _lastSource;
        }

        _lastSourceBytes = bytes.ToArray();
        _lastSource = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(address);
        return _lastSource;
    }

    /// <summary>The destination as a socket address, cached for the usual single destination. Worker only.</summary>
    internal System.Net.SocketAddress DestinationOf(IPEndPoint destination, bool dualMode)
    {
        if (!ReferenceEquals(destination, _lastDestination) && !destination.Equals(_lastDestination))
        {
            var form = dualMode && destination.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                ? new IPEndPoint(destination.Address.MapToIPv6(), destination.Port)
                : destination;
            _lastDestination = destination;
            _lastDestinationAddress = form.Serialize();
        }

        return _lastDestinationAddress!;
    }
}

/// <summary>One unit of work for a peer's worker: a datagram, a command, or (both null) a timer tick.</summary>
internal readonly record struct PeerWorkItem(byte[]? Buffer, int Length, IPEndPoint? From, Action<PeerConnection.PeerConnection, long>? Command);
