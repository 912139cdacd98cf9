namespace WebRtcAsr.Server.Auth;

/// <summary>The outcome of authenticating a client: allowed (with its key, if any, and that key's session limit) or refused with a reason.</summary>
public sealed record AccessDecision(bool Allowed, string? KeyId, int? KeyMaxSessions, AuthFailure Failure, string? Reason)
{
    public static AccessDecision Allow(string? keyId, int? maxSessions) => new(true, keyId, maxSessions, AuthFailure.None, null);

    public static AccessDecision Refuse(AuthFailure failure, string reason) => new(false, null, null, failure, reason);
}
