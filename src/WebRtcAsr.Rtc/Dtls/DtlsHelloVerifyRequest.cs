namespace WebRtcAsr.Rtc.Dtls;

/// <summary>HelloVerifyRequest: the server's cookie challenge (RFC 6347 4.2.1).</summary>
internal static class DtlsHelloVerifyRequest
{
    public const int MaxCookieLength = 255;

    public static byte[] Write(ReadOnlySpan<byte> cookie)
    {
        var b = new TlsMessageBuilder();
        // RFC 6347 4.2.1: the server should send DTLS 1.0 here whatever version it will negotiate.
        b.WriteU16(DtlsWire.Version10);
        b.WriteVector8(cookie);
        return b.ToArray();
    }

    public static bool TryParse(ReadOnlySpan<byte> body, out byte[] cookie)
    {
        var r = new TlsWireReader(body);
        if (r.TryReadU16(out _) && r.TryReadVector8(out var c) && r.IsEmpty)
        {
            cookie = c.ToArray();
            return true;
        }
        cookie = [];
        return false;
    }
}
