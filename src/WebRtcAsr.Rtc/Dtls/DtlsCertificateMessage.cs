namespace WebRtcAsr.Rtc.Dtls;

/// <summary>Certificate message: a chain of DER certificates, each with a 3-byte length (RFC 5246 7.4.2).</summary>
internal static class DtlsCertificateMessage
{
    public const int MaxChainLength = 8;

    public static byte[] Write(ReadOnlySpan<byte> leafDer)
    {
        var b = new TlsMessageBuilder();
        int list = b.BeginVector(3);
        b.WriteVector24(leafDer);
        b.EndVector(list);
        return b.ToArray();
    }

    /// <summary>Parses the chain and returns the leaf (first) certificate, or null for an empty chain.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out byte[]? leafDer, out string? error)
    {
        leafDer = null;
        var r = new TlsWireReader(body);
        if (!r.TryReadVector24(out var list) || !r.IsEmpty)
        {
            error = "malformed Certificate";
            return false;
        }
        var l = new TlsWireReader(list);
        int count = 0;
        while (!l.IsEmpty)
        {
            if (!l.TryReadVector24(out var cert) || cert.IsEmpty || ++count > MaxChainLength)
            {
                error = "malformed certificate list";
                return false;
            }
            leafDer ??= cert.ToArray();
        }
        error = null;
        return true;
    }
}
