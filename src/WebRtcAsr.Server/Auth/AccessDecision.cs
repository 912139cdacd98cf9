namespace WebRtcAsr.Server.Auth;

/// <summary>
/// The outcome of authenticating a client: allowed (with its key, if any, that key's session limit and whether it may
/// watch phone calls) or refused with a reason.
/// </summary>
public sealed record AccessDecision(bool Allowed, string? KeyId, int? KeyMaxSessions, AuthFailure Failure, string? Reason, bool MayWatchCalls = false)
{
    public static AccessDecision Allow(string? keyId, int? maxSessions, bool mayWatchCalls) => new(true, keyId, maxSessions, AuthFailure.None, null, mayWatchCalls);

    public static AccessDecision Refuse(AuthFailure failure, string reason) => new(false, null, null, failure, reason);

    /// <summary>Why a client that got in may not watch calls; null when it may.</summary>
    public string? CallWatchRefusal => !Allowed || MayWatchCalls
        ? null
        : $"the API key '{KeyId}' may not watch phone calls; set WatchCalls to true for it under WebRtcAsr:Auth:Keys";
}
