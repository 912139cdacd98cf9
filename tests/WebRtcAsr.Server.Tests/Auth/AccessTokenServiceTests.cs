using System.Text;
using WebRtcAsr.Server.Auth;
using WebRtcAsr.Server.Tests.Support;

namespace WebRtcAsr.Server.Tests.Auth;

public sealed class AccessTokenServiceTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private readonly ManualTimeProvider clock = new();

    [Fact]
    public void A_granted_token_validates_until_it_expires()
    {
        var tokens = new AccessTokenService(Secret, TimeSpan.FromSeconds(30), clock);
        var token = tokens.Issue("key-1");
        Assert.True(tokens.TryValidate(token, out var keyId, out var jti, out var failure));
        Assert.Equal("key-1", keyId);
        Assert.False(string.IsNullOrEmpty(jti));
        Assert.Equal(AuthFailure.None, failure);

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.True(tokens.TryValidate(token, out _, out _, out _));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(tokens.TryValidate(token, out keyId, out _, out failure));
        Assert.Equal(AuthFailure.Expired, failure);
        Assert.Null(keyId);
    }

    [Fact]
    public void Each_grant_has_its_own_id()
    {
        var tokens = new AccessTokenService(Secret, TimeSpan.FromSeconds(30), clock);
        tokens.TryValidate(tokens.Issue("k"), out _, out var a, out _);
        tokens.TryValidate(tokens.Issue("k"), out _, out var b, out _);
        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-dot")]
    [InlineData(".")]
    [InlineData("abc.")]
    [InlineData("!!!.???")]
    public void Malformed_tokens_are_invalid(string token)
    {
        var tokens = new AccessTokenService(Secret, TimeSpan.FromSeconds(30), clock);
        Assert.False(tokens.TryValidate(token, out _, out _, out var failure));
        Assert.Equal(AuthFailure.InvalidToken, failure);
    }

    [Fact]
    public void A_token_signed_with_another_secret_or_altered_is_invalid()
    {
        var tokens = new AccessTokenService(Secret, TimeSpan.FromSeconds(30), clock);
        var other = new AccessTokenService("another-secret-another-secret-xx", TimeSpan.FromSeconds(30), clock);
        Assert.False(tokens.TryValidate(other.Issue("key-1"), out _, out _, out var failure));
        Assert.Equal(AuthFailure.InvalidToken, failure);

        // Swap in another key id, keeping the signature.
        var token = tokens.Issue("key-1");
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        var payload = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(0, dot)));
        var forged = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.Replace("key-1", "key-2", StringComparison.Ordinal))) + token[dot..];
        Assert.False(tokens.TryValidate(forged, out _, out _, out failure));
        Assert.Equal(AuthFailure.InvalidToken, failure);
        Assert.False(tokens.TryValidate(new string('a', 600) + ".b", out _, out _, out _));
    }
}
