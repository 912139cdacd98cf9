using System.Net;
using Microsoft.Extensions.Options;
using WebRtcAsr.Server.Auth;
using WebRtcAsr.Server.Configuration;
using WebRtcAsr.Server.Metrics;
using WebRtcAsr.Server.Tests.Support;

namespace WebRtcAsr.Server.Tests.Auth;

public sealed class ClientAuthenticatorTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private readonly ManualTimeProvider clock = new();
    private readonly ServerMetrics metrics = new();
    private readonly ApiKeyOptions key = new() { Id = "acme", Key = "acme-secret-key-123456", MaxSessions = 3 };

    [Fact]
    public void An_api_key_or_a_token_granted_for_it_lets_in_with_the_keys_limit()
    {
        var (auth, tokens) = Make(allowLocalhost: false);
        var byKey = auth.Authenticate("Token acme-secret-key-123456", IPAddress.Parse("203.0.113.9"));
        Assert.True(byKey.Allowed);
        Assert.Equal("acme", byKey.KeyId);
        Assert.Equal(3, byKey.KeyMaxSessions);

        var token = tokens.Issue("acme");
        Assert.Equal("acme", auth.Authenticate("Bearer " + token, null).KeyId);
        Assert.Equal("acme", auth.Authenticate(token, null).KeyId); // the SignalR access_token query parameter
    }

    [Fact]
    public void Refusals_say_why()
    {
        var (auth, tokens) = Make(allowLocalhost: false);
        Assert.Equal(AuthFailure.UnknownKey, auth.Authenticate("Token wrong-key", null).Failure);
        Assert.Equal(AuthFailure.Missing, auth.Authenticate(null, IPAddress.Loopback).Failure);
        Assert.Equal(AuthFailure.InvalidToken, auth.Authenticate("Bearer junk", null).Failure);
        var token = tokens.Issue("acme");
        clock.Advance(TimeSpan.FromSeconds(31));
        var expired = auth.Authenticate(token, null);
        Assert.False(expired.Allowed);
        Assert.Equal(AuthFailure.Expired, expired.Failure);
        Assert.Contains("expired", expired.Reason, StringComparison.Ordinal);
        Assert.Equal(1, metrics.AuthRefused.ValueOf(nameof(AuthFailure.Expired)));
        Assert.Equal(AuthFailure.Missing, auth.AuthenticateApiKey("Bearer " + tokens.Issue("acme")).Failure); // tokens do not buy tokens
    }

    [Fact]
    public void Without_credentials_only_loopback_clients_get_in_and_only_when_allowed()
    {
        var (auth, _) = Make(allowLocalhost: true);
        Assert.True(auth.Authenticate(null, IPAddress.Loopback).Allowed);
        Assert.True(auth.Authenticate("", IPAddress.IPv6Loopback).Allowed);
        Assert.Null(auth.Authenticate(null, IPAddress.Loopback).KeyId);
        Assert.False(auth.Authenticate(null, IPAddress.Parse("192.168.1.20")).Allowed);
        Assert.False(auth.Authenticate(null, null).Allowed);
    }

    private (ClientAuthenticator, AccessTokenService) Make(bool allowLocalhost)
    {
        var options = new ServerOptions { Auth = new AuthOptions { Keys = [key], SigningSecret = Secret, AllowUnauthenticatedLocalhost = allowLocalhost } };
        var tokens = new AccessTokenService(Secret, TimeSpan.FromSeconds(30), clock);
        return (new ClientAuthenticator(new ApiKeyStore(options.Auth.Keys), tokens, Options.Create(options), metrics), tokens);
    }
}
