using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace WebRtcAsr.Sip.Security;

/// <summary>Configuration of digest authentication for a trunk.</summary>
public sealed record DigestAuthOptions
{
    public required string Realm { get; init; }

    /// <summary>Username → password.</summary>
    public required IReadOnlyDictionary<string, string> Passwords { get; init; }

    /// <summary>Key that signs nonces (at least 16 bytes); a random one per process is fine.</summary>
    public required byte[] NonceKey { get; init; }

    public TimeSpan NonceLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Algorithms challenged with, in order of preference (RFC 8760 §2.4: strongest first).</summary>
    public IReadOnlyList<DigestAlgorithm> Algorithms { get; init; } = [DigestAlgorithm.Sha256, DigestAlgorithm.Md5];

    /// <summary>Bound on nonces whose last nonce-count is remembered for replay detection.</summary>
    public int MaxTrackedNonces { get; init; } = 4096;
}

/// <summary>The outcome of checking a request's credentials.</summary>
public enum DigestVerdict
{
    /// <summary>Valid credentials.</summary>
    Accepted,

    /// <summary>No credentials for our realm: challenge (401).</summary>
    Missing,

    /// <summary>Nonce expired, foreign or replayed: challenge again with stale=true (401).</summary>
    Stale,

    /// <summary>Wrong user or password, or malformed: 403.</summary>
    Rejected,
}

/// <summary>
/// Digest authentication of requests (RFC 3261 §22, RFC 7616, RFC 8760) with stateless nonces: a nonce is the
/// issue time plus an HMAC over time and source address, so any server instance with the key can check it
/// without storing it. Only nonce-counts are remembered (bounded) to refuse replays with qop=auth.
/// </summary>
public sealed class DigestAuthenticator(DigestAuthOptions options)
{
    private readonly Dictionary<string, long> _lastNonceCount = new(StringComparer.Ordinal);
    private readonly Queue<string> _nonceOrder = new();

    /// <summary>WWW-Authenticate values, one per algorithm, strongest first.</summary>
    public IReadOnlyList<string> Challenge(TimeSpan now, IPAddress source, bool stale)
    {
        var nonce = IssueNonce(now, source);
        var challenges = new List<string>(options.Algorithms.Count);
        foreach (var algorithm in options.Algorithms)
        {
            challenges.Add($"Digest realm=\"{options.Realm}\", nonce=\"{nonce}\", algorithm={DigestComputation.Name(algorithm)}, qop=\"auth\"{(stale ? ", stale=true" : string.Empty)}");
        }

        return challenges;
    }

    /// <summary>Checks the Authorization values of a request.</summary>
    public DigestVerdict Verify(string method, string requestUri, IReadOnlyList<string> authorizations, TimeSpan now, IPAddress source, out string? username)
    {
        username = null;
        DigestCredentials? credentials = null;
        foreach (var header in authorizations)
        {
            if (DigestCredentials.TryParse(header, out var parsed) && parsed.Realm == options.Realm)
            {
                credentials = parsed;
                break;
            }
        }

        if (credentials is null)
        {
            return authorizations.Count == 0 ? DigestVerdict.Missing : DigestVerdict.Rejected;
        }

        if (credentials.Username is not { } user || credentials.Nonce is not { } nonce || credentials.Response is not { } response
            || credentials.Uri is not { } uri || !DigestComputation.TryParseName(credentials.Algorithm, out var algorithm, out var session)
            || !options.Algorithms.Contains(algorithm))
        {
            return DigestVerdict.Rejected;
        }

        if (!IsNonceFresh(nonce, now, source))
        {
            return DigestVerdict.Stale;
        }

        // The digest binds the URI; credentials computed for another target do not authorize this one.
        if (!SameTarget(uri, requestUri) || !options.Passwords.TryGetValue(user, out var password))
        {
            return DigestVerdict.Rejected;
        }

        long nonceCount = 0;
        var qop = credentials.Qop;
        if (qop is not null)
        {
            if (!string.Equals(qop, "auth", StringComparison.OrdinalIgnoreCase) || credentials.Cnonce is null
                || credentials.NonceCount is not { Length: 8 } nc || !long.TryParse(nc, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out nonceCount))
            {
                return DigestVerdict.Rejected;
            }
        }
        else if (session)
        {
            return DigestVerdict.Rejected;
        }

        var expected = DigestComputation.Response(algorithm, session, user, options.Realm, password, method, uri, nonce, credentials.NonceCount, credentials.Cnonce, qop);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(response.ToLowerInvariant())))
        {
            return DigestVerdict.Rejected;
        }

        if (qop is not null && !AdvanceNonceCount(nonce, nonceCount))
        {
            return DigestVerdict.Stale;
        }

        username = user;
        return DigestVerdict.Accepted;
    }

    /// <summary>
    /// Whether the digest-uri names the Request-URI: identical text, or a SIP URI of the same scheme, host and
    /// port whose user part, if any, matches (SIPp, for one, sends only host:port).
    /// </summary>
    private static bool SameTarget(string digestUri, string requestUri)
    {
        if (string.Equals(digestUri, requestUri, StringComparison.Ordinal))
        {
            return true;
        }

        return Messages.SipUri.TryParse(digestUri, out var digest, out _) && Messages.SipUri.TryParse(requestUri, out var request, out _)
            && digest.IsSip && digest.Scheme == request.Scheme
            && string.Equals(digest.Host, request.Host, StringComparison.OrdinalIgnoreCase) && digest.Port == request.Port
            && (digest.User is null || digest.User == request.User);
    }

    internal string IssueNonce(TimeSpan now, IPAddress source)
    {
        var stamp = ((long)now.TotalMilliseconds).ToString("x16", CultureInfo.InvariantCulture);
        return stamp + Sign(stamp, source);
    }

    private bool IsNonceFresh(string nonce, TimeSpan now, IPAddress source)
    {
        if (nonce.Length != 48 || !long.TryParse(nonce.AsSpan(0, 16), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var issuedMs))
        {
            return false;
        }

        var expected = Sign(nonce[..16], source);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(nonce[16..])))
        {
            return false;
        }

        var age = now - TimeSpan.FromMilliseconds(issuedMs);
        return age >= TimeSpan.Zero && age <= options.NonceLifetime;
    }

    private string Sign(string stamp, IPAddress source)
    {
        var mac = HMACSHA256.HashData(options.NonceKey, Encoding.ASCII.GetBytes(stamp + "|" + source));
        return Convert.ToHexStringLower(mac.AsSpan(0, 16));
    }

    private bool AdvanceNonceCount(string nonce, long nonceCount)
    {
        if (_lastNonceCount.TryGetValue(nonce, out var last))
        {
            if (nonceCount <= last)
            {
                return false;
            }

            _lastNonceCount[nonce] = nonceCount;
            return true;
        }

        while (_lastNonceCount.Count >= options.MaxTrackedNonces && _nonceOrder.TryDequeue(out var oldest))
        {
            _lastNonceCount.Remove(oldest);
        }

        _lastNonceCount[nonce] = nonceCount;
        _nonceOrder.Enqueue(nonce);
        return true;
    }
}
