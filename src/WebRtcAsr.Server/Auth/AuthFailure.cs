namespace WebRtcAsr.Server.Auth;

/// <summary>Why a client was not let in (a metrics label and the refusal's reason).</summary>
public enum AuthFailure
{
    None,

    /// <summary>No credentials, and unauthenticated access is not allowed from there.</summary>
    Missing,

    /// <summary>An API key that is not configured.</summary>
    UnknownKey,

    /// <summary>A token that is malformed or not signed by this server.</summary>
    InvalidToken,

    /// <summary>A token past its expiry.</summary>
    Expired,
}
