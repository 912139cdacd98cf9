using System.Text;
using WebRtcAsr.Rtc.Sctp;

namespace WebRtcAsr.Rtc.PeerConnection;

// Data channels (RFC 8831) over the SCTP association, opened with DCEP (RFC 8832).
public sealed partial class PeerConnection
{
    private static readonly byte[] AckMessage = [DataChannelEstablishment.MessageTypeAck];
    private static readonly byte[] EmptyMessagePayload = [0];

    /// <summary>
    /// Opens a data channel from this side (DATA_CHANNEL_OPEN on a stream of our parity: odd for the
    /// DTLS server, even for the client). Before the association is up, the OPEN waits for it.
    /// Null when there is no data channel transport, the peer is closed, or the channel limit is reached.
    /// </summary>
    public DataChannel? OpenDataChannel(string label, long nowMicros, DataChannelReliability? reliability = null, string protocol = "")
    {
        ArgumentNullException.ThrowIfNull(label);
        if (_sctp is null || _closing || State is PeerConnectionState.Closed or PeerConnectionState.Failed
            || _channels.Count >= _options.MaxDataChannels || Encoding.UTF8.GetByteCount(label) > 1024)
        {
            return null;
        }

        int limit = _sctp.IsEstablished ? _sctp.OutboundStreamCount : 1024;
        ushort? id = null;
        for (int candidate = IsServer ? 1 : 0; candidate < limit; candidate += 2)
        {
            if (!_channels.ContainsKey((ushort)candidate))
            {
                id = (ushort)candidate;
                break;
            }
        }

        if (id is null)
        {
            return null;
        }

        var channel = new DataChannel(id.Value, label, protocol, reliability ?? DataChannelReliability.Reliable, openedLocally: true);
        _channels.Add(channel.StreamId, channel);
        if (_sctp.IsEstablished)
        {
            SendOpen(channel, nowMicros);
        }
        else
        {
            channel.OpenPending = true;
        }

        Pump(nowMicros);
        return channel;
    }

    /// <summary>Sends a text message on a channel.</summary>
    public SctpSendStatus SendDataChannelMessage(DataChannel channel, string text, long nowMicros)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(text);
        return SendDataChannelMessage(channel.StreamId, Encoding.UTF8.GetBytes(text), binary: false, nowMicros);
    }

    /// <summary>
    /// Sends one message on the channel with stream <paramref name="streamId"/>, with the channel's
    /// reliability. Messages are whole (SCTP fragments and reassembles them) up to the smaller of
    /// ours and the peer's max-message-size.
    /// </summary>
    public SctpSendStatus SendDataChannelMessage(ushort streamId, ReadOnlySpan<byte> message, bool binary, long nowMicros)
    {
        if (_sctp is null || !_sctp.IsEstablished || _closing)
        {
            return SctpSendStatus.NotConnected;
        }

        if (!_channels.TryGetValue(streamId, out var channel) || channel.Closing)
        {
            return SctpSendStatus.InvalidStream;
        }

        if (message.Length > _remoteMaxMessageSize)
        {
            return SctpSendStatus.MessageTooLarge;
        }

        uint ppid = (binary, message.IsEmpty) switch
        {
            (false, false) => DataChannelEstablishment.PpidString,
            (true, false) => DataChannelEstablishment.PpidBinary,
            (false, true) => DataChannelEstablishment.PpidStringEmpty,
            (true, true) => DataChannelEstablishment.PpidBinaryEmpty,
        };
        var reliability = channel.Reliability;
        var options = new SctpSendOptions(
            Unordered: !reliability.Ordered,
            MaxRetransmits: reliability.MaxRetransmits,
            LifetimeMicros: reliability.MaxPacketLifeTimeMs is { } ms ? ms * 1000L : null);
        var status = _sctp.Send(streamId, ppid, message.IsEmpty ? EmptyMessagePayload : message, options, nowMicros);
        Pump(nowMicros);
        return status;
    }

    /// <summary>Closes one channel: resets our outgoing stream; the peer resets its own and DataChannelClosed follows.</summary>
    public bool CloseDataChannel(ushort streamId, long nowMicros)
    {
        if (_sctp is null || !_channels.TryGetValue(streamId, out var channel) || channel.Closing)
        {
            return false;
        }

        channel.Closing = true;
        bool sent = _sctp.ResetStreams([streamId]);
        Pump(nowMicros);
        return sent;
    }

    /// <summary>Bytes queued on a channel and not yet acknowledged (RTCDataChannel.bufferedAmount).</summary>
    public long BufferedAmount(ushort streamId) => _sctp?.BufferedAmount(streamId) ?? 0;

    private void SendOpen(DataChannel channel, long nowMicros)
    {
        channel.OpenPending = false;
        byte[] open = DataChannelEstablishment.WriteOpen(channel.Label, channel.Protocol, channel.Reliability);
        _sctp!.Send(channel.StreamId, DataChannelEstablishment.PpidControl, open, default, nowMicros);
    }

    private void OnSctpEvent(in SctpEvent sctpEvent, long nowMicros)
    {
        switch (sctpEvent.Kind)
        {
            case SctpEventKind.Established:
                foreach (var channel in _channels.Values)
                {
                    if (channel.OpenPending)
                    {
                        SendOpen(channel, nowMicros);
                    }
                }

                break;
            case SctpEventKind.Message when sctpEvent.Ppid == DataChannelEstablishment.PpidControl:
                OnControlMessage(sctpEvent.StreamId, sctpEvent.Data ?? [], nowMicros);
                break;
            case SctpEventKind.Message:
                OnUserMessage(sctpEvent);
                break;
            case SctpEventKind.IncomingStreamsReset:
                foreach (ushort stream in sctpEvent.Streams ?? [])
                {
                    if (_channels.Remove(stream, out var closed))
                    {
                        if (!closed.Closing)
                        {
                            // RFC 8831 6.7: the peer reset its side; reset ours so the stream can be reused.
                            _sctp!.ResetStreams([stream]);
                        }

                        RaiseClosed(closed);
                    }
                }

                break;
            case SctpEventKind.Closed:
                CloseAllChannels();
                if (_closing)
                {
                    FinishClose("closed locally", nowMicros);
                }

                break;
        }
    }

    private void OnControlMessage(ushort streamId, byte[] message, long nowMicros)
    {
        if (message.Length == 1 && message[0] == DataChannelEstablishment.MessageTypeAck)
        {
            if (_channels.TryGetValue(streamId, out var opened) && opened.OpenedLocally && !opened.IsOpen)
            {
                MarkOpen(opened);
            }

            return;
        }

        if (!DataChannelEstablishment.TryReadOpen(message, out string label, out string protocol, out var reliability, out _)
            || _channels.ContainsKey(streamId) || _channels.Count >= _options.MaxDataChannels || _closing)
        {
            Counters.RefusedDataChannels++;
            if (!_channels.ContainsKey(streamId))
            {
                // Refusing a channel is resetting its stream (RFC 8832 6).
                _sctp!.ResetStreams([streamId]);
            }

            return;
        }

        var channel = new DataChannel(streamId, label, protocol, reliability, openedLocally: false);
        _channels.Add(streamId, channel);
        _sctp!.Send(streamId, DataChannelEstablishment.PpidControl, AckMessage, default, nowMicros);
        MarkOpen(channel);
    }

    private void OnUserMessage(in SctpEvent sctpEvent)
    {
        if (!_channels.TryGetValue(sctpEvent.StreamId, out var channel))
        {
            Counters.DroppedEvents++;
            return;
        }

        if (!channel.IsOpen)
        {
            // RFC 8832 6: data before the ACK implies it.
            MarkOpen(channel);
        }

        bool binary = sctpEvent.Ppid is DataChannelEstablishment.PpidBinary or DataChannelEstablishment.PpidBinaryEmpty or 52;
        bool empty = sctpEvent.Ppid is DataChannelEstablishment.PpidStringEmpty or DataChannelEstablishment.PpidBinaryEmpty;
        Raise(new PeerConnectionEvent(PeerConnectionEventKind.DataChannelMessage, State,
            data: empty ? ReadOnlyMemory<byte>.Empty : sctpEvent.Data, channel: channel, isBinary: binary));
    }

    private void MarkOpen(DataChannel channel)
    {
        channel.IsOpen = true;
        Raise(new PeerConnectionEvent(PeerConnectionEventKind.DataChannelOpened, State, channel: channel));
    }

    private void RaiseClosed(DataChannel channel)
    {
        bool wasOpen = channel.IsOpen;
        channel.IsOpen = false;
        if (wasOpen || channel.OpenedLocally)
        {
            Raise(new PeerConnectionEvent(PeerConnectionEventKind.DataChannelClosed, State, channel: channel));
        }
    }

    private void CloseAllChannels()
    {
        foreach (var channel in _channels.Values)
        {
            RaiseClosed(channel);
        }

        _channels.Clear();
    }
}
