using WebRtcAsr.Rtc.PeerConnection;

namespace WebRtcAsr.Rtc.Transport;

/// <summary>
/// Receives a peer's events on the peer's own worker: calls for one peer never overlap, so the
/// handler needs no locks for per-peer state. An AudioRtp event's data is valid only during the call.
/// </summary>
public interface IPeerEventHandler
{
    void OnEvent(TransportPeer peer, in PeerConnectionEvent peerEvent);

    /// <summary>The peer finished (closed, failed, or removed) and is gone from the transport; called once, last.</summary>
    void OnRemoved(TransportPeer peer);
}
