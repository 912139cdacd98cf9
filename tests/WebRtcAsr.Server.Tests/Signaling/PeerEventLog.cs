using System.Collections.Concurrent;
using WebRtcAsr.Rtc.PeerConnection;
using WebRtcAsr.Rtc.Transport;

namespace WebRtcAsr.Server.Tests.Signaling;

/// <summary>Records what a transport hands to the application (audio and messages copied), for assertions.</summary>
internal sealed class PeerEventLog : IPeerEventHandler
{
    public ConcurrentQueue<(string PeerId, PeerConnectionEvent Event)> Events { get; } = new();

    public ConcurrentQueue<(string PeerId, byte[] Packet, Rtc.Srtp.RtpPacketHeader Header)> Audio { get; } = new();

    public ConcurrentQueue<(string PeerId, string Label, byte[] Data, bool Binary)> Messages { get; } = new();

    public ConcurrentQueue<string> Removed { get; } = new();

    /// <summary>Runs on the peer's worker after recording (e.g. to reply on a channel).</summary>
    public Action<TransportPeer, PeerConnectionEvent>? OnEach { get; set; }

    public void OnEvent(TransportPeer peer, in PeerConnectionEvent peerEvent)
    {
        switch (peerEvent.Kind)
        {
            case PeerConnectionEventKind.AudioRtp:
                Audio.Enqueue((peer.Id, peerEvent.Data.ToArray(), peerEvent.Rtp));
                break;
            case PeerConnectionEventKind.DataChannelMessage:
                Messages.Enqueue((peer.Id, peerEvent.Channel!.Label, peerEvent.Data.ToArray(), peerEvent.IsBinary));
                break;
        }

        Events.Enqueue((peer.Id, peerEvent));
        OnEach?.Invoke(peer, peerEvent);
    }

    public void OnRemoved(TransportPeer peer) => Removed.Enqueue(peer.Id);

    public bool Has(string peerId, PeerConnectionState state) =>
        Events.Any(e => e.PeerId == peerId && e.Event.Kind == PeerConnectionEventKind.StateChanged && e.Event.State == state);

    public bool Has(string peerId, PeerConnectionEventKind kind) => Events.Any(e => e.PeerId == peerId && e.Event.Kind == kind);

    public static async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan? limit = null)
    {
        var end = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > end)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }
}
