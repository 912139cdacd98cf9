namespace WebRtcAsr.Server.Sessions;

/// <summary>Why a session ended (a metrics label and the archive's end_reason).</summary>
public enum SessionEndReason
{
    /// <summary>The client sent CloseStream.</summary>
    ClientClosed,

    /// <summary>The transport ended the call (SIP BYE, peer connection closed for good).</summary>
    TransportClosed,

    /// <summary>No audio and no KeepAlive for the idle timeout.</summary>
    IdleTimeout,

    /// <summary>The client disconnected and did not come back within the reconnect grace period.</summary>
    ReconnectTimeout,

    /// <summary>The server is stopping.</summary>
    Shutdown,

    /// <summary>Recognition failed.</summary>
    Failed,
}
