using System.Net;
using WebRtcAsr.Rtc.DataChannels;
using WebRtcAsr.Rtc.Srtp;

namespace WebRtcAsr.Rtc.PeerConnection;

/// <summary>What a <see cref="PeerConnectionEvent"/> reports.</summary>
public enum PeerConnectionEventKind
{
    /// <summary><see cref="PeerConnectionEvent.State"/> is the new state; <see cref="PeerConnectionEvent.Reason"/> says why for Failed and Closed.</summary>
    StateChanged,

    /// <summary>
    /// ICE validated <see cref="PeerConnectionEvent.Remote"/> (a check with our credentials came from
    /// it): the UDP driver may route that address to this peer.
    /// </summary>
    RemoteAddressValidated,

    /// <summary>
    /// One decrypted RTP packet: <see cref="PeerConnectionEvent.Data"/> holds header and payload
    /// (padding removed), <see cref="PeerConnectionEvent.Rtp"/> the parsed header.
    /// </summary>
    AudioRtp,

    /// <summary><see cref="PeerConnectionEvent.Channel"/> is open (either side opened it).</summary>
    DataChannelOpened,

    /// <summary>A whole message on <see cref="PeerConnectionEvent.Channel"/>; <see cref="PeerConnectionEvent.IsBinary"/> tells text from binary.</summary>
    DataChannelMessage,

    /// <summary><see cref="PeerConnectionEvent.Channel"/> closed (stream reset, or the association ended).</summary>
    DataChannelClosed,
}

/// <summary>
/// An event from <see cref="PeerConnection.TryPollEvent"/>. For <see cref="PeerConnectionEventKind.AudioRtp"/>
/// <see cref="Data"/> refers to a pooled buffer that stays valid only until the next poll.
/// </summary>
public readonly struct PeerConnectionEvent
{
    internal PeerConnectionEvent(
        PeerConnectionEventKind kind,
        PeerConnectionState state = default,
        string? reason = null,
        IPEndPoint? remote = null,
        ReadOnlyMemory<byte> data = default,
        RtpPacketHeader rtp = default,
        DataChannel? channel = null,
        bool isBinary = false)
    {
        Kind = kind;
        State = state;
        Reason = reason;
        Remote = remote;
        Data = data;
        Rtp = rtp;
        Channel = channel;
        IsBinary = isBinary;
    }

    public PeerConnectionEventKind Kind { get; }

    public PeerConnectionState State { get; }

    public string? Reason { get; }

    public IPEndPoint? Remote { get; }

    public ReadOnlyMemory<byte> Data { get; }

    public RtpPacketHeader Rtp { get; }

    /// <summary>For AudioRtp: the payload (after header and extensions).</summary>
    public ReadOnlyMemory<byte> RtpPayload => Data[Rtp.HeaderLength..];

    public DataChannel? Channel { get; }

    public bool IsBinary { get; }

    public override string ToString() => Kind switch
    {
        PeerConnectionEventKind.StateChanged => $"StateChanged({State}{(Reason is null ? "" : ": " + Reason)})",
        PeerConnectionEventKind.RemoteAddressValidated => $"RemoteAddressValidated({Remote})",
        PeerConnectionEventKind.AudioRtp => $"AudioRtp(seq {Rtp.SequenceNumber}, {Data.Length} bytes)",
        PeerConnectionEventKind.DataChannelMessage => $"DataChannelMessage({Channel}, {Data.Length} bytes)",
        _ => $"{Kind}({Channel})",
    };
}
