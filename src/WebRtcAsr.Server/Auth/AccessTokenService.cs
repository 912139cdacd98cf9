using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WebRtcAsr.Server.Auth;

/// <summary>
/// Short-lived access tokens, as Deepgram's /v1/auth/grant issues: base64url("v1.keyId.expiresUnix.jti") + "." +
/// base64url(HMAC-SHA256(secret, that first part)). A browser gets one from the operator's backend (which holds the
/// API key) and presents it when it connects; it expires in seconds, so a leaked token is worth little.
/// </summary>
public sealed class AccessTokenService
{
    /// <summary>Longest token accepted, in characters.</summary>
    public const int MaxTokenLength = 512;

    private readonly byte[] secret;
    private readonly TimeProvider time;

    public AccessTokenService(string signingSecret, TimeSpan lifetime, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingSecret);
        secret = Encoding.UTF8.GetBytes(signingSecret);
        Lifetime = lifetime;
        this.time = time;
    }

    public TimeSpan Lifetime { get; }

    /// <summary>A new token for the key.</summary>
    public string Issue(string keyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        var expires = time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds();
        var jti = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));
        var payload = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"v1.{keyId}.{expires}.{jti}"));
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(secret, payload));
    }

    /// <summary>Checks the signature and the expiry; gives the key id or the reason it is refused.</summary>
    public bool TryValidate(string token, out string? keyId, out string? jti, out AuthFailure failure)
    {
        keyId = null;
        jti = null;
        failure = AuthFailure.InvalidToken;
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return false;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == token.Length - 1)
        {
            return false;
        }

        // TryDecodeFromChars throws on characters outside the alphabet: check them first (bad input is normal input).
        if (!Base64Url.IsValid(token.AsSpan(0, dot)) || !Base64Url.IsValid(token.AsSpan(dot + 1)))
        {
            return false;
        }

        Span<byte> payload = stackalloc byte[MaxTokenLength];
        Span<byte> signature = stackalloc byte[64];
        if (!Base64Url.TryDecodeFromChars(token.AsSpan(0, dot), payload, out var payloadLength)
            || !Base64Url.TryDecodeFromChars(token.AsSpan(dot + 1), signature, out var signatureLength)
            || signatureLength != 32)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(secret, payload[..payloadLength], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, signature[..32]))
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(payload[..payloadLength]).Split('.');
        if (parts.Length != 4 || parts[0] != "v1" || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return false;
        }

        if (time.GetUtcNow().ToUnixTimeSeconds() >= expires)
        {
            failure = AuthFailure.Expired;
            return false;
        }

        keyId = parts[1];
        jti = parts[3];
        failure = AuthFailure.None;
        return true;
    }
}
