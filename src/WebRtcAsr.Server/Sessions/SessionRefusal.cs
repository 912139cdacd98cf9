namespace WebRtcAsr.Server.Sessions;

/// <summary>Why a new session was refused (a metrics label; transports answer 503 / SIP 486 or 503).</summary>
public enum SessionRefusal
{
    None,

    /// <summary>The server holds its maximum of sessions.</summary>
    ServerFull,

    /// <summary>The API key holds its maximum of sessions.</summary>
    KeyLimit,

    /// <summary>New sessions are coming faster than the configured rate.</summary>
    RateLimited,

    /// <summary>The server is shutting down.</summary>
    ShuttingDown,
}
