namespace WebRtcAsr.Rtc.Dtls;

/// <summary>CertificateRequest (RFC 5246 7.4.4): WebRTC servers always ask for the peer's certificate.</summary>
internal static class DtlsCertificateRequest
{
    public static byte[] Write()
    {
        var b = new TlsMessageBuilder();
        b.WriteU8(2);
        b.WriteU8(DtlsWire.ClientCertificateTypeEcdsaSign);
        b.WriteU8(DtlsWire.ClientCertificateTypeRsaSign);
        b.WriteU16(4);
        b.WriteU16(DtlsWire.SignatureEcdsaSecp256r1Sha256);
        b.WriteU16(DtlsWire.SignatureRsaPkcs1Sha256);
        b.WriteU16(0); // no certificate_authorities: the fingerprint is what we check
        return b.ToArray();
    }

    public static bool TryParse(ReadOnlySpan<byte> body, out List<ushort> signatureAlgorithms)
    {
        signatureAlgorithms = [];
        var r = new TlsWireReader(body);
        if (!r.TryReadVector8(out _) || !r.TryReadVector16(out var algs) || (algs.Length & 1) != 0 || !r.TryReadVector16(out _) || !r.IsEmpty)
        {
            return false;
        }
        var a = new TlsWireReader(algs);
        while (a.TryReadU16(out var alg))
        {
            signatureAlgorithms.Add(alg);
        }
        return true;
    }
}
