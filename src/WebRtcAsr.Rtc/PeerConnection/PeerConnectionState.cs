namespace WebRtcAsr.Rtc.PeerConnection;

/// <summary>Life cycle of a <see cref="PeerConnection"/> (a subset of W3C RTCPeerConnectionState).</summary>
public enum PeerConnectionState
{
    /// <summary>Created from an offer (or offering); no connectivity check yet.</summary>
    New,

    /// <summary>ICE checks are running or DTLS is handshaking.</summary>
    Connecting,

    /// <summary>DTLS is up and SRTP keys are in place: media and data flow.</summary>
    Connected,

    /// <summary>ICE consent expired, the DTLS handshake failed, or the remote certificate did not match: nothing more flows.</summary>
    Failed,

    /// <summary>Closed by either side (close_notify) or by <see cref="PeerConnection.Close"/>.</summary>
    Closed,
}
