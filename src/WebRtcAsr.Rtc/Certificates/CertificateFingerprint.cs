using System.Security.Cryptography;
using System.Text;

namespace WebRtcAsr.Rtc.Certificates;

/// <summary>
/// A certificate fingerprint as SDP carries it (RFC 8122 5): a hash function name and the hash of
/// the DER certificate in uppercase colon-separated hex, e.g. <c>sha-256 AB:CD:…</c>.
/// </summary>
public sealed class CertificateFingerprint : IEquatable<CertificateFingerprint>
{
    private readonly byte[] _value;

    private CertificateFingerprint(string algorithm, byte[] value)
    {
        Algorithm = algorithm;
        _value = value;
    }

    /// <summary>Hash function name in SDP spelling, lower case: sha-1, sha-256, sha-384 or sha-512.</summary>
    public string Algorithm { get; }

    /// <summary>The raw hash bytes.</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <summary>Hashes a DER certificate with the named function (default sha-256).</summary>
    public static CertificateFingerprint Compute(ReadOnlySpan<byte> certificateDer, string algorithm = "sha-256")
    {
        string name = algorithm.ToLowerInvariant();
        byte[] value = name switch
        {
            "sha-1" => SHA1.HashData(certificateDer),
            "sha-256" => SHA256.HashData(certificateDer),
            "sha-384" => SHA384.HashData(certificateDer),
            "sha-512" => SHA512.HashData(certificateDer),
            _ => throw new ArgumentException($"unsupported fingerprint hash '{algorithm}'", nameof(algorithm)),
        };
        return new CertificateFingerprint(name, value);
    }

    /// <summary>Parses the value of an SDP a=fingerprint attribute: "&lt;hash-func&gt; &lt;HEX:HEX:…&gt;".</summary>
    public static bool TryParse(string? sdpValue, out CertificateFingerprint? fingerprint, out string? error)
    {
        fingerprint = null;
        if (string.IsNullOrWhiteSpace(sdpValue))
        {
            error = "empty fingerprint";
            return false;
        }
        string[] parts = sdpValue.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            error = "fingerprint must be '<hash-func> <hex>'";
            return false;
        }
        string algorithm = parts[0].ToLowerInvariant();
        int expected = algorithm switch { "sha-1" => 20, "sha-256" => 32, "sha-384" => 48, "sha-512" => 64, _ => 0 };
        if (expected == 0)
        {
            error = $"unsupported fingerprint hash '{parts[0]}'";
            return false;
        }
        string[] octets = parts[1].Split(':');
        if (octets.Length != expected)
        {
            error = $"{algorithm} fingerprint needs {expected} octets, got {octets.Length}";
            return false;
        }
        byte[] value = new byte[expected];
        for (int i = 0; i < expected; i++)
        {
            if (octets[i].Length != 2 || !byte.TryParse(octets[i], System.Globalization.NumberStyles.HexNumber, null, out value[i]))
            {
                error = $"bad fingerprint octet '{octets[i]}'";
                return false;
            }
        }
        fingerprint = new CertificateFingerprint(algorithm, value);
        error = null;
        return true;
    }

    /// <summary>True when <paramref name="certificateDer"/> hashes to this fingerprint (constant-time compare).</summary>
    public bool Matches(ReadOnlySpan<byte> certificateDer)
    {
        var other = Compute(certificateDer, Algorithm);
        return CryptographicOperations.FixedTimeEquals(_value, other._value);
    }

    /// <summary>Uppercase colon-hex, e.g. "AB:CD:…" (the part after the hash name in SDP).</summary>
    public string HexValue
    {
        get
        {
            var sb = new StringBuilder(_value.Length * 3);
            foreach (byte b in _value)
            {
                if (sb.Length > 0) { sb.Append(':'); }
                sb.Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            return sb.ToString();
        }
    }

    /// <summary>The a=fingerprint attribute value: "sha-256 AB:CD:…".</summary>
    public override string ToString() => $"{Algorithm} {HexValue}";

    public bool Equals(CertificateFingerprint? other) =>
        other is not null && Algorithm == other.Algorithm && _value.AsSpan().SequenceEqual(other._value);

    public override bool Equals(object? obj) => Equals(obj as CertificateFingerprint);

    public override int GetHashCode() => HashCode.Combine(Algorithm, _value.Length > 0 ? _value[0] : 0, _value.Length > 1 ? _value[1] : 0);
}
