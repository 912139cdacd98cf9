using WebRtcAsr.Rtc.DataChannels;

namespace WebRtcAsr.Rtc.PeerConnection;

// Data channels (RFC 8831, DCEP RFC 8832) through the DataChannelTransport over DTLS.
public sealed partial class PeerConnection
{
    /// <summary>
    /// Opens a data channel from this side (DATA_CHANNEL_OPEN on a stream of our parity: odd for the
    /// DTLS server, even for the client). Before the association is up, the OPEN waits for it.
    /// Null when there is no data channel transport, the peer is closing or closed, or a limit is reached.
    /// </summary>
    public DataChannel? OpenDataChannel(string label, long nowMicros, DataChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (_sctp is null || _closing || State is PeerConnectionState.Closed or PeerConnectionState.Failed)
        {
            return null;
        }

        var channel = _sctp.CreateChannel(label, options, nowMicros, out _);
        Pump(nowMicros);
        return channel;
    }

    /// <summary>Sends a text message on a channel.</summary>
    public DataChannelSendStatus SendDataChannelMessage(DataChannel channel, string text, long nowMicros)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SendDataChannelMessage(channel, System.Text.Encoding.UTF8.GetBytes(text), binary: false, nowMicros);
    }

    /// <summary>
    /// Sends one whole message (SCTP fragments and reassembles it) with the channel's reliability,
    /// up to the smaller of ours and the peer's max-message-size.
    /// </summary>
    public DataChannelSendStatus SendDataChannelMessage(DataChannel channel, ReadOnlySpan<byte> message, bool binary, long nowMicros)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (_sctp is null || _closing || State != PeerConnectionState.Connected)
        {
            return DataChannelSendStatus.NotConnected;
        }

        if (message.Length > _remoteMaxMessageSize)
        {
            return DataChannelSendStatus.MessageTooLarge;
        }

        var status = _sctp.Send(channel, message, isString: !binary, nowMicros);
        Pump(nowMicros);
        return status;
    }

    /// <summary>Closes one channel (stream reset); DataChannelClosed follows once both directions are reset.</summary>
    public void CloseDataChannel(DataChannel channel, long nowMicros)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _sctp?.Close(channel);
        Pump(nowMicros);
    }

    private void OnDataChannelEvent(in DataChannelEvent channelEvent, long nowMicros)
    {
        switch (channelEvent.Kind)
        {
            case DataChannelEventKind.ChannelOpened:
                Raise(new PeerConnectionEvent(PeerConnectionEventKind.DataChannelOpened, State, channel: channelEvent.Channel));
                break;
            case DataChannelEventKind.Message:
                Raise(new PeerConnectionEvent(PeerConnectionEventKind.DataChannelMessage, State,
                    data: channelEvent.Data, channel: channelEvent.Channel, isBinary: !channelEvent.IsString));
                break;
            case DataChannelEventKind.ChannelClosed:
                Raise(new PeerConnectionEvent(PeerConnectionEventKind.DataChannelClosed, State, channel: channelEvent.Channel));
                break;
            case DataChannelEventKind.AssociationClosed when _closing && State != PeerConnectionState.Closed:
                FinishClose("closed locally", nowMicros);
                break;
        }
    }
}
