namespace WebRtcAsr.Rtc.Dtls;

/// <summary>
/// ServerKeyExchange for ECDHE (RFC 8422 5.4): named curve, the server's ephemeral point, and a
/// signature over client_random || server_random || params.
/// </summary>
internal static class DtlsServerKeyExchange
{
    /// <summary>The ServerECDHParams bytes: curve_type, named curve, point.</summary>
    public static byte[] WriteParams(ReadOnlySpan<byte> publicPoint)
    {
        var b = new TlsMessageBuilder();
        b.WriteU8(DtlsWire.CurveTypeNamedCurve);
        b.WriteU16(DtlsWire.GroupSecp256r1);
        b.WriteVector8(publicPoint);
        return b.ToArray();
    }

    public static byte[] Write(ReadOnlySpan<byte> ecdhParams, ushort signatureAlgorithm, ReadOnlySpan<byte> signature)
    {
        var b = new TlsMessageBuilder();
        b.Write(ecdhParams);
        b.WriteU16(signatureAlgorithm);
        b.WriteVector16(signature);
        return b.ToArray();
    }

    public static bool TryParse(ReadOnlySpan<byte> body, out byte[] ecdhParams, out byte[] publicPoint,
        out ushort signatureAlgorithm, out byte[] signature, out string? error)
    {
        ecdhParams = publicPoint = signature = [];
        signatureAlgorithm = 0;
        var r = new TlsWireReader(body);
        if (!r.TryReadU8(out var curveType) || !r.TryReadU16(out var group) || !r.TryReadVector8(out var point))
        {
            error = "malformed ServerKeyExchange";
            return false;
        }
        if (curveType != DtlsWire.CurveTypeNamedCurve || group != DtlsWire.GroupSecp256r1)
        {
            error = $"ServerKeyExchange uses group {group}, not secp256r1";
            return false;
        }
        int paramsLength = 4 + point.Length;
        if (!r.TryReadU16(out signatureAlgorithm) || !r.TryReadVector16(out var sig) || !r.IsEmpty)
        {
            error = "malformed ServerKeyExchange signature";
            return false;
        }
        ecdhParams = body[..paramsLength].ToArray();
        publicPoint = point.ToArray();
        signature = sig.ToArray();
        error = null;
        return true;
    }
}
