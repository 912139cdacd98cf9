namespace WebRtcAsr.Rtc.Dtls;

/// <summary>ClientKeyExchange for ECDHE: the client's ephemeral point (RFC 8422 5.7).</summary>
internal static class DtlsClientKeyExchange
{
    public static byte[] Write(ReadOnlySpan<byte> publicPoint)
    {
        var b = new TlsMessageBuilder();
        b.WriteVector8(publicPoint);
        return b.ToArray();
    }

    public static bool TryParse(ReadOnlySpan<byte> body, out byte[] publicPoint)
    {
        var r = new TlsWireReader(body);
        if (r.TryReadVector8(out var point) && r.IsEmpty && !point.IsEmpty)
        {
            publicPoint = point.ToArray();
            return true;
        }
        publicPoint = [];
        return false;
    }
}
