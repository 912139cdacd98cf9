namespace WebRtcAsr.Rtc.Dtls;

/// <summary>ServerHello (RFC 5246 7.4.1.3).</summary>
internal sealed class DtlsServerHello
{
    public ushort Version { get; init; } = DtlsWire.Version12;
    public byte[] Random { get; init; } = [];
    public byte[] SessionId { get; init; } = [];
    public ushort CipherSuite { get; init; }
    public DtlsHelloExtensions Extensions { get; init; } = new();

    public static bool TryParse(ReadOnlySpan<byte> body, out DtlsServerHello? hello, out string? error)
    {
        hello = null;
        var r = new TlsWireReader(body);
        if (!r.TryReadU16(out var version) || !r.TryReadBytes(DtlsWire.RandomLength, out var random)
            || !r.TryReadVector8(out var sessionId) || sessionId.Length > 32 || !r.TryReadU16(out var suite)
            || !r.TryReadU8(out var compression))
        {
            error = "malformed ServerHello";
            return false;
        }
        if (compression != 0)
        {
            error = "ServerHello chose a compression method";
            return false;
        }
        if (!DtlsHelloExtensions.TryReadTrailing(ref r, "ServerHello", out var extensions, out error))
        {
            return false;
        }
        hello = new DtlsServerHello
        {
            Version = version,
            Random = random.ToArray(),
            SessionId = sessionId.ToArray(),
            CipherSuite = suite,
            Extensions = extensions,
        };
        error = null;
        return true;
    }

    public byte[] Write()
    {
        var b = new TlsMessageBuilder();
        b.WriteU16(Version);
        b.Write(Random);
        b.WriteVector8(SessionId);
        b.WriteU16(CipherSuite);
        b.WriteU8(0);
        Extensions.Write(b);
        return b.ToArray();
    }
}
