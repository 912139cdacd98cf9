namespace WebRtcAsr.Rtc.Dtls;

/// <summary>
/// The hello extensions WebRTC's DTLS needs: supported_groups, ec_point_formats,
/// signature_algorithms, use_srtp (RFC 5764 4.1.1), extended_master_secret (RFC 7627) and
/// renegotiation_info (RFC 5746). Unknown extensions are skipped.
/// </summary>
internal sealed class DtlsHelloExtensions
{
    public List<ushort> SupportedGroups { get; } = [];
    public List<byte> PointFormats { get; } = [];
    public List<ushort> SignatureAlgorithms { get; } = [];
    public List<ushort> SrtpProfiles { get; } = [];
    public bool HasUseSrtp { get; set; }
    public bool ExtendedMasterSecret { get; set; }
    public bool RenegotiationInfo { get; set; }

    /// <summary>
    /// Reads what ends a ClientHello or ServerHello (RFC 5246 7.4.1.2, 7.4.1.3): nothing, or one
    /// 16-bit vector of extensions that fills the rest of the message.
    /// </summary>
    public static bool TryReadTrailing(ref TlsWireReader reader, string message, out DtlsHelloExtensions extensions, out string? error)
    {
        if (reader.IsEmpty)
        {
            extensions = new DtlsHelloExtensions();
            error = null;
            return true;
        }
        if (!reader.TryReadVector16(out var block) || !reader.IsEmpty)
        {
            extensions = new DtlsHelloExtensions();
            error = $"malformed {message} extensions";
            return false;
        }
        return TryParse(block, out extensions, out error);
    }

    public static bool TryParse(ReadOnlySpan<byte> block, out DtlsHelloExtensions extensions, out string? error)
    {
        extensions = new DtlsHelloExtensions();
        error = null;
        var seen = new HashSet<ushort>();
        var r = new TlsWireReader(block);
        while (!r.IsEmpty)
        {
            if (!r.TryReadU16(out var type) || !r.TryReadVector16(out var data))
            {
                error = "truncated extension";
                return false;
            }
            if (!seen.Add(type))
            {
                error = $"duplicate extension {type}";
                return false;
            }
            var e = new TlsWireReader(data);
            bool ok = true;
            switch (type)
            {
                case DtlsWire.ExtSupportedGroups:
                    ok = ReadU16List(ref e, extensions.SupportedGroups);
                    break;
                case DtlsWire.ExtEcPointFormats:
                    ok = e.TryReadVector8(out var formats);
                    if (ok) { foreach (var f in formats) { extensions.PointFormats.Add(f); } }
                    break;
                case DtlsWire.ExtSignatureAlgorithms:
                    ok = ReadU16List(ref e, extensions.SignatureAlgorithms);
                    break;
                case DtlsWire.ExtUseSrtp:
                    extensions.HasUseSrtp = true;
                    ok = ReadU16List(ref e, extensions.SrtpProfiles) && e.TryReadVector8(out _);
                    break;
                case DtlsWire.ExtExtendedMasterSecret:
                    extensions.ExtendedMasterSecret = true;
                    break;
                case DtlsWire.ExtRenegotiationInfo:
                    // In an initial handshake renegotiated_connection must be empty (RFC 5746 3.4).
                    ok = e.TryReadVector8(out var reneg) && reneg.IsEmpty;
                    extensions.RenegotiationInfo = true;
                    break;
                default:
                    continue;
            }
            if (!ok || !e.IsEmpty)
            {
                error = $"malformed extension {type}";
                return false;
            }
        }
        return true;
    }

    private static bool ReadU16List(ref TlsWireReader r, List<ushort> list)
    {
        if (!r.TryReadVector16(out var data) || (data.Length & 1) != 0)
        {
            return false;
        }
        var l = new TlsWireReader(data);
        while (l.TryReadU16(out var v))
        {
            list.Add(v);
        }
        return true;
    }

    /// <summary>Writes the extensions block (with its two-byte length) as set on this instance.</summary>
    public void Write(TlsMessageBuilder b)
    {
        int all = b.BeginVector(2);
        if (SupportedGroups.Count > 0)
        {
            WriteU16ListExtension(b, DtlsWire.ExtSupportedGroups, SupportedGroups);
        }
        if (PointFormats.Count > 0)
        {
            b.WriteU16(DtlsWire.ExtEcPointFormats);
            int ext = b.BeginVector(2);
            b.WriteU8(PointFormats.Count);
            foreach (var f in PointFormats) { b.WriteU8(f); }
            b.EndVector(ext);
        }
        if (SignatureAlgorithms.Count > 0)
        {
            WriteU16ListExtension(b, DtlsWire.ExtSignatureAlgorithms, SignatureAlgorithms);
        }
        if (HasUseSrtp)
        {
            b.WriteU16(DtlsWire.ExtUseSrtp);
            int ext = b.BeginVector(2);
            b.WriteU16(SrtpProfiles.Count * 2);
            foreach (var p in SrtpProfiles) { b.WriteU16(p); }
            b.WriteU8(0); // no MKI
            b.EndVector(ext);
        }
        if (ExtendedMasterSecret)
        {
            b.WriteU16(DtlsWire.ExtExtendedMasterSecret);
            b.WriteU16(0);
        }
        if (RenegotiationInfo)
        {
            b.WriteU16(DtlsWire.ExtRenegotiationInfo);
            b.WriteU16(1);
            b.WriteU8(0);
        }
        b.EndVector(all);
    }

    private static void WriteU16ListExtension(TlsMessageBuilder b, ushort type, List<ushort> values)
    {
        b.WriteU16(type);
        int ext = b.BeginVector(2);
        b.WriteU16(values.Count * 2);
        foreach (var v in values) { b.WriteU16(v); }
        b.EndVector(ext);
    }
}
