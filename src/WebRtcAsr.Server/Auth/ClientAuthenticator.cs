using System.Net;
using Microsoft.Extensions.Options;
using WebRtcAsr.Server.Configuration;
using WebRtcAsr.Server.Metrics;

namespace WebRtcAsr.Server.Auth;

/// <summary>
/// Decides whether a client may open a session: what the signaling hub (and the grant endpoint) call. Accepts an
/// Authorization header value ("Token &lt;api key&gt;" or "Bearer &lt;access token&gt;") or a bare access token (the
/// access_token query parameter SignalR clients send). Without credentials, only loopback clients get in, and only
/// when AllowUnauthenticatedLocalhost is set.
/// </summary>
public sealed class ClientAuthenticator(ApiKeyStore keys, AccessTokenService tokens, IOptions<ServerOptions> options, ServerMetrics metrics)
{
    public AccessDecision Authenticate(string? credentials, IPAddress? remote)
    {
        var decision = Decide(credentials, remote);
        if (!decision.Allowed)
        {
            metrics.AuthRefused.Add(decision.Failure.ToString());
        }

        return decision;
    }

    /// <summary>The API key of a "Token &lt;key&gt;" header (only API keys may be exchanged for access tokens).</summary>
    public AccessDecision AuthenticateApiKey(string? authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization) || !authorization.StartsWith("Token ", StringComparison.OrdinalIgnoreCase))
        {
            metrics.AuthRefused.Add(nameof(AuthFailure.Missing));
            return AccessDecision.Refuse(AuthFailure.Missing, "send the API key as: Authorization: Token <api key>");
        }

        return Authenticate(authorization, remote: null);
    }

    /// <summary>Whether a client at this address may connect with no credentials at all.</summary>
    public bool AllowsWithoutCredentials(IPAddress? remote) =>
        options.Value.Auth.AllowUnauthenticatedLocalhost && remote is not null && IPAddress.IsLoopback(remote);

    private AccessDecision Decide(string? credentials, IPAddress? remote)
    {
        credentials = credentials?.Trim();
        if (string.IsNullOrEmpty(credentials))
        {
            return AllowsWithoutCredentials(remote)
                ? AccessDecision.Allow(null, null, mayWatchCalls: true) // this machine, in development
                : AccessDecision.Refuse(AuthFailure.Missing, "credentials are required (an API key or an access token from /v1/auth/grant)");
        }

        if (credentials.StartsWith("Token ", StringComparison.OrdinalIgnoreCase))
        {
            var key = keys.FindBySecret(credentials[6..].Trim());
            return key is null
                ? AccessDecision.Refuse(AuthFailure.UnknownKey, "the API key is not valid")
                : AccessDecision.Allow(key.Id, key.MaxSessions, key.WatchCalls);
        }

        var token = credentials.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? credentials[7..].Trim() : credentials;
        if (!tokens.TryValidate(token, out var keyId, out _, out var failure))
        {
            return AccessDecision.Refuse(failure, failure == AuthFailure.Expired ? "the access token has expired; ask for a new one" : "the access token is not valid");
        }

        var owner = keys.FindById(keyId!);
        return owner is null
            ? AccessDecision.Refuse(AuthFailure.UnknownKey, "the access token's API key no longer exists")
            : AccessDecision.Allow(owner.Id, owner.MaxSessions, owner.WatchCalls);
    }
}
