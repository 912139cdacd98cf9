namespace WebRtcAsr.Rtc.Dtls;

/// <summary>The digitally-signed struct used by CertificateVerify (RFC 5246 4.7): algorithm and signature.</summary>
internal static class DtlsDigitallySigned
{
    public static byte[] Write(ushort algorithm, ReadOnlySpan<byte> signature)
    {
        var b = new TlsMessageBuilder();
        b.WriteU16(algorithm);
        b.WriteVector16(signature);
        return b.ToArray();
    }

    public static bool TryParse(ReadOnlySpan<byte> body, out ushort algorithm, out byte[] signature)
    {
        var r = new TlsWireReader(body);
        if (r.TryReadU16(out algorithm) && r.TryReadVector16(out var sig) && r.IsEmpty)
        {
            signature = sig.ToArray();
            return true;
        }
        signature = [];
        return false;
    }
}
