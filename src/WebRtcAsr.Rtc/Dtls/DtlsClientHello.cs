namespace WebRtcAsr.Rtc.Dtls;

/// <summary>ClientHello with the DTLS cookie field (RFC 6347 4.2.1).</summary>
internal sealed class DtlsClientHello
{
    public ushort Version { get; init; } = DtlsWire.Version12;
    public byte[] Random { get; init; } = [];
    public byte[] SessionId { get; init; } = [];
    public byte[] Cookie { get; init; } = [];
    public List<ushort> CipherSuites { get; } = [];
    public DtlsHelloExtensions Extensions { get; init; } = new();

    public static bool TryParse(ReadOnlySpan<byte> body, out DtlsClientHello? hello, out string? error)
    {
        hello = null;
        var r = new TlsWireReader(body);
        if (!r.TryReadU16(out var version) || !r.TryReadBytes(DtlsWire.RandomLength, out var random)
            || !r.TryReadVector8(out var sessionId) || sessionId.Length > 32 || !r.TryReadVector8(out var cookie)
            || !r.TryReadVector16(out var suites) || (suites.Length & 1) != 0 || suites.IsEmpty
            || !r.TryReadVector8(out var compression) || compression.IsEmpty)
        {
            error = "malformed ClientHello";
            return false;
        }
        if (!compression.Contains((byte)0))
        {
            error = "ClientHello does not offer null compression";
            return false;
        }
        if (!DtlsHelloExtensions.TryReadTrailing(ref r, "ClientHello", out var extensions, out error))
        {
            return false;
        }
        hello = new DtlsClientHello
        {
            Version = version,
            Random = random.ToArray(),
            SessionId = sessionId.ToArray(),
            Cookie = cookie.ToArray(),
            Extensions = extensions,
        };
        var s = new TlsWireReader(suites);
        while (s.TryReadU16(out var suite))
        {
            hello.CipherSuites.Add(suite);
        }
        error = null;
        return true;
    }

    public byte[] Write()
    {
        var b = new TlsMessageBuilder();
        b.WriteU16(Version);
        b.Write(Random);
        b.WriteVector8(SessionId);
        b.WriteVector8(Cookie);
        b.WriteU16(CipherSuites.Count * 2);
        foreach (var s in CipherSuites) { b.WriteU16(s); }
        b.WriteU8(1);
        b.WriteU8(0);
        Extensions.Write(b);
        return b.ToArray();
    }
}
