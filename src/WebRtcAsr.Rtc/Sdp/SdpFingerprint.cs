using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WebRtcAsr.Rtc.Sdp;

/// <summary>An "a=fingerprint:hash-func XX:XX:..." certificate fingerprint (RFC 8122 5).</summary>
public sealed class SdpFingerprint : IEquatable<SdpFingerprint>
{
    public SdpFingerprint(string algorithm, byte[] value)
    {
        Algorithm = algorithm.ToLowerInvariant();
        Value = value;
    }

    /// <summary>Hash function name, lower case: "sha-256", "sha-384", "sha-512", "sha-1".</summary>
    public string Algorithm { get; }

    public byte[] Value { get; }

    /// <summary>The SHA-256 fingerprint of a DER certificate, what this server announces.</summary>
    public static SdpFingerprint Sha256OfCertificate(ReadOnlySpan<byte> certificateDer) =>
        new("sha-256", SHA256.HashData(certificateDer));

    /// <summary>Computes the fingerprint of <paramref name="certificateDer"/> with this fingerprint's algorithm; null if the algorithm is unknown.</summary>
    public byte[]? ComputeFor(ReadOnlySpan<byte> certificateDer) => Algorithm switch
    {
        "sha-256" => SHA256.HashData(certificateDer),
        "sha-384" => SHA384.HashData(certificateDer),
        "sha-512" => SHA512.HashData(certificateDer),
#pragma warning disable CA5350 // RFC 8122 allows SHA-1 fingerprints from old peers; only compared, never chosen.
        "sha-1" => SHA1.HashData(certificateDer),
#pragma warning restore CA5350
        _ => null,
    };

    /// <summary>Whether <paramref name="certificateDer"/> hashes to this fingerprint.</summary>
    public bool Matches(ReadOnlySpan<byte> certificateDer) =>
        ComputeFor(certificateDer) is { } hash && CryptographicOperations.FixedTimeEquals(hash, Value);

    public static bool TryParse(string value, out SdpFingerprint? fingerprint)
    {
        fingerprint = null;
        string[] parts = value.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            return false;
        }

        string[] octets = parts[1].Trim().Split(':');
        if (octets.Length is < 16 or > 64)
        {
            return false;
        }

        var bytes = new byte[octets.Length];
        for (int i = 0; i < octets.Length; i++)
        {
            if (octets[i].Length != 2 || !byte.TryParse(octets[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }
        }

        fingerprint = new SdpFingerprint(parts[0], bytes);
        return true;
    }

    /// <summary>The value after "a=fingerprint:" with upper-case colon-separated hex.</summary>
    public string ToValue()
    {
        var sb = new StringBuilder(Algorithm.Length + 1 + Value.Length * 3);
        sb.Append(Algorithm).Append(' ');
        for (int i = 0; i < Value.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(':');
            }

            sb.Append(Value[i].ToString("X2", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    public bool Equals(SdpFingerprint? other) =>
        other is not null && Algorithm == other.Algorithm && Value.AsSpan().SequenceEqual(other.Value);

    public override bool Equals(object? obj) => Equals(obj as SdpFingerprint);

    public override int GetHashCode() => HashCode.Combine(Algorithm, Value.Length > 0 ? Value[0] : 0);

    public override string ToString() => ToValue();
}
