using System.Security.Cryptography;

namespace WebRtcAsr.Rtc.Dtls;

/// <summary>An ephemeral ECDH key on secp256r1 and the premaster secret it agrees with a peer point.</summary>
internal sealed class DtlsEcdheKey : IDisposable
{
    private const int PointLength = 65;
    private readonly ECDiffieHellman _key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Our public point, uncompressed: 0x04 || X || Y.</summary>
    public byte[] PublicPoint
    {
        get
        {
            var q = _key.ExportParameters(false).Q;
            byte[] point = new byte[PointLength];
            point[0] = 4;
            q.X!.CopyTo(point, 1);
            q.Y!.CopyTo(point, 33);
            return point;
        }
    }

    /// <summary>The premaster secret: the X coordinate of the shared point (RFC 8422 5.10).
    /// False when the peer point is malformed or not on the curve.</summary>
    public bool TryAgree(ReadOnlySpan<byte> peerPoint, out byte[] premaster)
    {
        premaster = [];
        if (peerPoint.Length != PointLength || peerPoint[0] != 4)
        {
            return false;
        }
        try
        {
            using var peer = ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = peerPoint.Slice(1, 32).ToArray(), Y = peerPoint.Slice(33, 32).ToArray() },
            });
            premaster = _key.DeriveRawSecretAgreement(peer.PublicKey);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Dispose() => _key.Dispose();
}
