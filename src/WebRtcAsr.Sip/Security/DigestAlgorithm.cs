using System.Security.Cryptography;
using System.Text;

namespace WebRtcAsr.Sip.Security;

/// <summary>Digest hash algorithms (RFC 7616 §3.2, RFC 8760 for SIP): MD5 and SHA-256, with their -sess variants.</summary>
public enum DigestAlgorithm
{
    Md5,
    Sha256,
}

/// <summary>The digest computations of RFC 2617 / RFC 7616 §3.4.1, lower-case hex.</summary>
public static class DigestComputation
{
    public static string Name(DigestAlgorithm algorithm) => algorithm == DigestAlgorithm.Sha256 ? "SHA-256" : "MD5";

    public static bool TryParseName(string? name, out DigestAlgorithm algorithm, out bool session)
    {
        session = false;
        algorithm = DigestAlgorithm.Md5;
        var text = name ?? "MD5";
        if (text.EndsWith("-sess", StringComparison.OrdinalIgnoreCase))
        {
            session = true;
            text = text[..^5];
        }

        if (string.Equals(text, "MD5", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        algorithm = DigestAlgorithm.Sha256;
        return string.Equals(text, "SHA-256", StringComparison.OrdinalIgnoreCase);
    }

    public static string Hash(DigestAlgorithm algorithm, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
#pragma warning disable CA5351 // MD5 is what RFC 2617 digest peers speak; SHA-256 is offered first.
        return Convert.ToHexStringLower(algorithm == DigestAlgorithm.Sha256 ? SHA256.HashData(bytes) : MD5.HashData(bytes));
#pragma warning restore CA5351
    }

    /// <summary>The request-digest. Without <paramref name="qop"/> this is the RFC 2069 form.</summary>
    public static string Response(
        DigestAlgorithm algorithm, bool session, string username, string realm, string password, string method, string uri,
        string nonce, string? nc, string? cnonce, string? qop)
    {
        var ha1 = Hash(algorithm, $"{username}:{realm}:{password}");
        if (session)
        {
            ha1 = Hash(algorithm, $"{ha1}:{nonce}:{cnonce}");
        }

        var ha2 = Hash(algorithm, $"{method}:{uri}");
        return qop is null
            ? Hash(algorithm, $"{ha1}:{nonce}:{ha2}")
            : Hash(algorithm, $"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}");
    }
}
