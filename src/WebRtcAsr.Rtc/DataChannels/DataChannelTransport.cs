using System.Buffers;
using System.Text;
using WebRtcAsr.Rtc.Sctp;

namespace WebRtcAsr.Rtc.DataChannels;

/// <summary>
/// WebRTC data channels (RFC 8831) with DCEP (RFC 8832) over one SCTP association: what
/// RTCSctpTransport is in the browser. Sans-IO like the association it owns; association events are
/// turned into channel events when polled, so a slow reader keeps the SCTP window closed.
/// </summary>
public sealed class DataChannelTransport
{
    private readonly DataChannelTransportOptions _options;
    private readonly Dictionary<ushort, DataChannel> _channels = [];
    private readonly Queue<DataChannelEvent> _events = new();
    private readonly List<DataChannel> _awaitingAssociation = [];
    private long _now; // last time the driver gave us, for sends made while translating events

    /// <param name="isDtlsClient">
    /// The DTLS role of this end: the DTLS client opens even stream ids, the server odd ones (RFC 8832 §6).
    /// </param>
    /// <param name="options">Limits; defaults when null.</param>
    public DataChannelTransport(bool isDtlsClient, DataChannelTransportOptions? options = null)
    {
        _options = options ?? new DataChannelTransportOptions();
        IsDtlsClient = isDtlsClient;
        Association = new SctpAssociation(_options.Sctp);
    }

    public bool IsDtlsClient { get; }

    public SctpAssociation Association { get; }

    public IReadOnlyCollection<DataChannel> Channels => _channels.Values;

    /// <summary>Data messages dropped: unknown stream, unknown PPID, malformed DCEP.</summary>
    public long MessagesDropped { get; private set; }

    public string? LastDropReason { get; private set; }

    public long NextTimeoutMicros => Association.NextTimeoutMicros;

    /// <summary>Starts the SCTP handshake (the side that initiates; in WebRTC both may).</summary>
    public void Connect(long nowMicros) => Association.Connect(nowMicros);

    public void HandleReceive(ReadOnlySpan<byte> packet, long nowMicros)
    {
        _now = nowMicros;
        Association.HandleReceive(packet, nowMicros);
    }

    public void HandleTimeout(long nowMicros)
    {
        _now = nowMicros;
        Association.HandleTimeout(nowMicros);
    }

    /// <summary>Next SCTP packet to hand to DTLS as application data; 0 when none.</summary>
    public int PollTransmit(Span<byte> destination, long nowMicros)
    {
        _now = nowMicros;
        return Association.PollTransmit(destination, nowMicros);
    }

    public bool PollEvent(out DataChannelEvent ev)
    {
        while (_events.Count == 0 && Association.PollEvent(out var sctpEvent))
        {
            Translate(sctpEvent);
        }

        return _events.TryDequeue(out ev);
    }

    /// <summary>Opens a channel with DATA_CHANNEL_OPEN (or at once when pre-negotiated).</summary>
    public DataChannel? CreateChannel(string label, DataChannelOptions? options, long nowMicros, out string? error)
    {
        options ??= new DataChannelOptions();
        if (options.MaxRetransmits is not null && options.MaxPacketLifeTimeMs is not null)
        {
            error = "maxRetransmits and maxPacketLifeTime are exclusive";
            return null;
        }

        if (Encoding.UTF8.GetByteCount(label) > ushort.MaxValue || Encoding.UTF8.GetByteCount(options.Protocol) > ushort.MaxValue)
        {
            error = "label or protocol longer than 65535 bytes";
            return null;
        }

        if (_channels.Count >= _options.MaxChannels)
        {
            error = $"too many channels (limit {_options.MaxChannels})";
            return null;
        }

        if (Association.CloseReason is not null)
        {
            error = "association closed";
            return null;
        }

        ushort id;
        if (options.NegotiatedId is { } negotiated)
        {
            if (_channels.ContainsKey(negotiated) || negotiated >= StreamLimit)
            {
                error = $"stream {negotiated} is in use or out of range";
                return null;
            }

            id = negotiated;
        }
        else if (!TryAllocateId(out id))
        {
            error = "no free stream id";
            return null;
        }

        var channel = new DataChannel(this, id, label, options.Protocol, options.Ordered, options.MaxRetransmits,
            options.MaxPacketLifeTimeMs, options.Priority, options.NegotiatedId is not null,
            options.NegotiatedId is not null ? DataChannelState.Open : DataChannelState.Connecting)
        {
            AckReceived = options.NegotiatedId is not null,
        };
        _channels[id] = channel;
        if (!channel.Negotiated)
        {
            if (Association.IsEstablished)
            {
                SendOpen(channel, nowMicros);
            }
            else
            {
                _awaitingAssociation.Add(channel);
            }
        }

        error = null;
        return channel;
    }

    /// <summary>Sends a string message (UTF-8, PPID 51, or 56 when empty).</summary>
    public DataChannelSendStatus SendText(DataChannel channel, string text, long nowMicros)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            int length = Encoding.UTF8.GetBytes(text, buffer);
            return Send(channel, buffer.AsSpan(0, length), isString: true, nowMicros);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Sends one message; an empty one travels as PPID 56/57 with a single zero byte.</summary>
    public DataChannelSendStatus Send(DataChannel channel, ReadOnlySpan<byte> message, bool isString, long nowMicros)
    {
        if (channel.State is not (DataChannelState.Open or DataChannelState.Connecting) || !IsCurrent(channel))
        {
            return DataChannelSendStatus.ChannelNotOpen;
        }

        if (!Association.IsEstablished)
        {
            return DataChannelSendStatus.NotConnected;
        }

        uint ppid = message.IsEmpty
            ? (isString ? DataChannelPpid.StringEmpty : DataChannelPpid.BinaryEmpty)
            : (isString ? DataChannelPpid.String : DataChannelPpid.Binary);
        var options = new SctpSendOptions(
            Unordered: !channel.Ordered && channel.AckReceived,
            MaxRetransmits: channel.MaxRetransmits,
            LifetimeMicros: channel.MaxPacketLifeTimeMs is { } ms ? ms * 1000L : null);
        var status = Association.Send(channel.Id, ppid, message.IsEmpty ? [0] : message, options, nowMicros);
        return status switch
        {
            SctpSendStatus.Ok => DataChannelSendStatus.Ok,
            SctpSendStatus.MessageTooLarge => DataChannelSendStatus.MessageTooLarge,
            SctpSendStatus.BufferFull => DataChannelSendStatus.BufferFull,
            SctpSendStatus.NotConnected => DataChannelSendStatus.NotConnected,
            _ => DataChannelSendStatus.ChannelNotOpen,
        };
    }

    /// <summary>Closes a channel by resetting its stream (RFC 8831 §6.7); ChannelClosed follows.</summary>
    public void Close(DataChannel channel)
    {
        if (channel.State is DataChannelState.Closing or DataChannelState.Closed || !IsCurrent(channel))
        {
            return;
        }

        channel.State = DataChannelState.Closing;
        _awaitingAssociation.Remove(channel);
        if (!Association.IsEstablished || !Association.ResetStreams([channel.Id]))
        {
            Finish(channel);
        }
    }

    /// <summary>Graceful SCTP shutdown of all channels.</summary>
    public void Shutdown(long nowMicros) => Association.Shutdown(nowMicros);

    public void Abort(string reason) => Association.Abort(reason);

    // A closed channel's object must not act on a newer channel that reuses its stream id.
    private bool IsCurrent(DataChannel channel) => _channels.TryGetValue(channel.Id, out var current) && current == channel;

    private int StreamLimit => Association.IsEstablished ? Association.OutboundStreamCount : Association.MaxStreams;

    private bool TryAllocateId(out ushort id)
    {
        for (int candidate = IsDtlsClient ? 0 : 1; candidate < StreamLimit; candidate += 2)
        {
            if (!_channels.ContainsKey((ushort)candidate))
            {
                id = (ushort)candidate;
                return true;
            }
        }

        id = 0;
        return false;
    }

    private void SendOpen(DataChannel channel, long now)
    {
        var open = new DataChannelOpen(DataChannelOpen.TypeFor(channel.Ordered, channel.MaxRetransmits, channel.MaxPacketLifeTimeMs),
            channel.Priority, (uint)(channel.MaxRetransmits ?? channel.MaxPacketLifeTimeMs ?? 0), channel.Label, channel.Protocol);
        // DCEP messages are always ordered and reliable (RFC 8832 §6).
        if (Association.Send(channel.Id, DataChannelPpid.Dcep, open.ToArray(), default, now) != SctpSendStatus.Ok)
        {
            Finish(channel);
        }
    }

    private void Translate(in SctpEvent ev)
    {
        switch (ev.Kind)
        {
            case SctpEventKind.Established:
                _events.Enqueue(new DataChannelEvent(DataChannelEventKind.AssociationEstablished));
                foreach (var channel in _awaitingAssociation)
                {
                    SendOpen(channel, _now);
                }

                _awaitingAssociation.Clear();
                break;
            case SctpEventKind.Message:
                HandleMessage(ev.StreamId, ev.Ppid, ev.Data!);
                break;
            case SctpEventKind.IncomingStreamsReset:
                foreach (var channel in ChannelsOn(ev.Streams!))
                {
                    channel.IncomingReset = true;
                    if (channel.State is DataChannelState.Open or DataChannelState.Connecting)
                    {
                        // The peer closed: reset our direction too (RFC 8831 §6.7).
                        channel.State = DataChannelState.Closing;
                        if (!Association.ResetStreams([channel.Id]))
                        {
                            Finish(channel);
                            continue;
                        }
                    }

                    if (channel.OutgoingReset)
                    {
                        Finish(channel);
                    }
                }

                break;
            case SctpEventKind.OutgoingStreamsReset:
                foreach (var channel in ChannelsOn(ev.Streams!))
                {
                    channel.OutgoingReset = true;
                    if (channel.IncomingReset)
                    {
                        Finish(channel);
                    }
                }

                break;
            case SctpEventKind.Closed:
                foreach (var channel in _channels.Values.ToList())
                {
                    Finish(channel);
                }

                _events.Enqueue(new DataChannelEvent(DataChannelEventKind.AssociationClosed, Reason: ev.Reason));
                break;
        }
    }

    private List<DataChannel> ChannelsOn(ushort[] streams)
    {
        var found = new List<DataChannel>();
        if (streams.Length == 0)
        {
            found.AddRange(_channels.Values); // an empty list resets every stream
            return found;
        }

        foreach (ushort stream in streams)
        {
            if (_channels.TryGetValue(stream, out var channel))
            {
                found.Add(channel);
            }
        }

        return found;
    }

    private void HandleMessage(ushort stream, uint ppid, byte[] data)
    {
        if (ppid == DataChannelPpid.Dcep)
        {
            HandleDcep(stream, data);
            return;
        }

        if (!_channels.TryGetValue(stream, out var channel) || channel.State == DataChannelState.Closed)
        {
            Drop($"message on stream {stream} without a channel");
            return;
        }

        if (channel.State == DataChannelState.Connecting)
        {
            // Any message from the peer implies it saw our OPEN (RFC 8832 §6).
            OnAck(channel);
        }

        switch (ppid)
        {
            case DataChannelPpid.String:
            case DataChannelPpid.Binary:
                if (channel.Partial is { } partial)
                {
                    partial.AddRange(data);
                    data = [.. partial];
                    channel.Partial = null;
                }

                _events.Enqueue(new DataChannelEvent(DataChannelEventKind.Message, channel, ppid == DataChannelPpid.String, data));
                break;
            case DataChannelPpid.StringEmpty:
            case DataChannelPpid.BinaryEmpty:
                _events.Enqueue(new DataChannelEvent(DataChannelEventKind.Message, channel, ppid == DataChannelPpid.StringEmpty, []));
                break;
            case DataChannelPpid.StringPartial:
            case DataChannelPpid.BinaryPartial:
                channel.Partial ??= [];
                if (channel.Partial.Count + data.Length > Association.MaxMessageSize)
                {
                    channel.Partial = null;
                    Drop($"partial message on channel {stream} exceeds the maximum message size");
                    break;
                }

                channel.Partial.AddRange(data);
                break;
            default:
                Drop($"unknown PPID {ppid} on channel {stream}");
                break;
        }
    }

    private void HandleDcep(ushort stream, byte[] data)
    {
        if (data.Length == 1 && data[0] == DataChannelOpen.AckMessageType)
        {
            if (_channels.TryGetValue(stream, out var acked) && acked.State == DataChannelState.Connecting)
            {
                OnAck(acked);
            }

            return;
        }

        if (!DataChannelOpen.TryParse(data, out var open, out string? error))
        {
            Drop("bad DCEP message: " + error);
            return;
        }

        bool peerParity = (stream % 2 == 0) != IsDtlsClient || _options.AcceptOpenOnEitherParity; // the peer opens the other parity
        if (!peerParity || _channels.ContainsKey(stream) || _channels.Count >= _options.MaxChannels)
        {
            Drop(!peerParity ? $"OPEN on stream {stream} of our parity" : $"OPEN on stream {stream} refused (in use or too many channels)");
            if (!_channels.ContainsKey(stream))
            {
                Association.ResetStreams([stream]); // tell the peer this stream will not become a channel
            }

            return;
        }

        var channel = new DataChannel(this, stream, open!.Label, open.Protocol, open.Ordered, open.MaxRetransmits,
            open.MaxPacketLifeTimeMs, open.Priority, negotiated: false, DataChannelState.Open)
        {
            AckReceived = true,
        };
        _channels[stream] = channel;
        Association.Send(stream, DataChannelPpid.Dcep, [DataChannelOpen.AckMessageType], default, _now);
        _events.Enqueue(new DataChannelEvent(DataChannelEventKind.ChannelOpened, channel));
    }

    private void OnAck(DataChannel channel)
    {
        channel.AckReceived = true;
        channel.State = DataChannelState.Open;
        _events.Enqueue(new DataChannelEvent(DataChannelEventKind.ChannelOpened, channel));
    }

    private void Finish(DataChannel channel)
    {
        if (channel.State == DataChannelState.Closed)
        {
            return;
        }

        channel.State = DataChannelState.Closed;
        channel.Partial = null;
        _channels.Remove(channel.Id);
        _awaitingAssociation.Remove(channel);
        _events.Enqueue(new DataChannelEvent(DataChannelEventKind.ChannelClosed, channel));
    }

    private void Drop(string reason)
    {
        MessagesDropped++;
        LastDropReason = reason;
    }
}
